import ArgumentParser

/// `r4ncl bag`: record every message on the bus into an HDF5 file, inspect it, play it back
/// with its original timing (rosbag's record / info / play).
struct BagCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bag", abstract: "Record bus messages of any topic to HDF5, inspect and replay them.",
    subcommands: [BagRecordCommand.self, BagInfoCommand.self, BagPlayCommand.self])
}
