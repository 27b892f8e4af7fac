import ArgumentParser

/// The Replay4NCL command-line tool: train, evaluate, learn continually, run the node.
@main
struct R4ncl: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "r4ncl",
    abstract: "Neuromorphic continual learning (Replay4NCL) on spike streams.",
    subcommands: [
      TrainCommand.self,
      EvalCommand.self,
      NodeCommand.self,
      PlayCommand.self,
      LabelCommand.self,
      EchoCommand.self,
      HzCommand.self,
      RecordCommand.self,
      ProxyCommand.self,
      LaunchCommand.self,
      ControlCommand.self,
      BagCommand.self,
      LearnCommand.self,
      SweepCommand.self,
      ExportCommand.self,
      BenchCommand.self,
      NodeBenchCommand.self,
      SynthCommand.self,
      EarCommand.self,
      MonitorCommand.self,
      KeygenCommand.self,
      SoakCommand.self,
    ])
}
