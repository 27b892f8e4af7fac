import Foundation

/// Runs the processes of a launch file: starts them with their arguments and namespace,
/// prefixes (and colours) every output line with the process name, respawns those that ask
/// for it, and stops them all (SIGINT, then SIGKILL after a grace period) on `stop()` or
/// when a required process exits.
public final class Launcher: @unchecked Sendable {
  public let file: LaunchFile
  /// The executable that the command "r4ncl" stands for.
  public let selfExecutable: String
  let colour: Bool
  let output: (String) -> Void
  let grace: Double
  private let lock = NSCondition()
  private var running: [String: Foundation.Process] = [:]
  private var stopping = false
  private var exitCode: Int32 = 0
  private var buffers: [String: Data] = [:]
  private var respawnsPending = 0
  /// Processes whose termination handler ran before `spawn` registered them (a fast exit).
  private var exitedBeforeRegistration: Set<ObjectIdentifier> = []
  static let colours = ["\u{1B}[36m", "\u{1B}[33m", "\u{1B}[35m", "\u{1B}[32m", "\u{1B}[34m", "\u{1B}[31m"]

  /// `output` receives every prefixed line (default: stdout).
  public init(file: LaunchFile, selfExecutable: String, colour: Bool, grace: Double = 5,
              output: @escaping (String) -> Void = { print($0); fflush(stdout) }) {
    self.file = file
    self.selfExecutable = selfExecutable
    self.colour = colour
    self.grace = grace
    self.output = output
  }

  /// Starts every process (honouring delays) and blocks until all have exited.
  /// Returns 0, or the exit status of the required process that ended the launch.
  public func run() throws -> Int32 {
    for (index, process) in file.processes.enumerated() {
      let start: @Sendable () -> Void = { [self] in
        do { try spawn(process, index: index) } catch {
          emit(process, index: index, "\(error)")
          if process.required { stop(code: 1) }
        }
      }
      if process.delay > 0 {
        DispatchQueue.global().asyncAfter(deadline: .now() + process.delay, execute: start)
      } else {
        start()
      }
    }
    lock.lock()
    defer { lock.unlock() }
    // Wait for every process (including delayed ones not yet started) or a stop.
    var pendingDelayed = file.processes.contains { $0.delay > 0 }
    let lastStart = Date().addingTimeInterval((file.processes.map(\.delay).max() ?? 0) + 0.05)
    while !running.isEmpty || respawnsPending > 0 || (pendingDelayed && !stopping) {
      _ = lock.wait(until: Date().addingTimeInterval(0.1))
      if Date() > lastStart { pendingDelayed = false }
    }
    return exitCode
  }

  /// Stops every process: SIGINT, then SIGKILL after the grace period.
  public func stop(code: Int32 = 0) {
    lock.lock()
    if stopping {
      lock.unlock()
      return
    }
    stopping = true
    if exitCode == 0 { exitCode = code }
    let processes = Array(running.values)
    lock.unlock()
    for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
    DispatchQueue.global().asyncAfter(deadline: .now() + grace) {
      for process in processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
  }

  private func spawn(_ spec: LaunchFile.Process, index: Int) throws {
    lock.lock()
    if stopping {
      lock.unlock()
      return
    }
    lock.unlock()
    let process = Foundation.Process()
    let command = spec.command == "r4ncl" ? selfExecutable : spec.command
    if command.contains("/") {
      process.executableURL = URL(fileURLWithPath: command)
      process.arguments = substitute(spec.args, spec)
    } else {
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = [command] + substitute(spec.args, spec)
    }
    var environment = ProcessInfo.processInfo.environment
    for (key, value) in spec.environment { environment[key] = value }
    if !spec.namespace.isEmpty { environment["R4NCL_NAMESPACE"] = spec.namespace }
    process.environment = environment
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
      let data = handle.availableData
      self?.consume(data, of: spec, index: index, final: data.isEmpty)
      if data.isEmpty { handle.readabilityHandler = nil }
    }
    process.terminationHandler = { [weak self] finished in
      self?.exited(spec, index: index, process: finished)
    }
    do { try process.run() } catch { throw LaunchError.spawnFailed(spec.name, "\(error)") }
    lock.lock()
    // A process that exits at once may run its termination handler before this point.
    if exitedBeforeRegistration.remove(ObjectIdentifier(process)) == nil {
      running[spec.name] = process
    }
    lock.unlock()
    emit(spec, index: index, "started (pid \(process.processIdentifier)): \(command) \(substitute(spec.args, spec).joined(separator: " "))")
  }

  private func substitute(_ args: [String], _ spec: LaunchFile.Process) -> [String] {
    args.map { $0.replacingOccurrences(of: "$(namespace)", with: spec.namespace).replacingOccurrences(of: "$(r4ncl)", with: selfExecutable) }
  }

  private func exited(_ spec: LaunchFile.Process, index: Int, process: Foundation.Process) {
    let status = process.terminationStatus
    let how = process.terminationReason == .uncaughtSignal ? "killed by signal \(status)" : "exited with status \(status)"
    emit(spec, index: index, how)
    lock.lock()
    if running[spec.name] === process {
      running[spec.name] = nil
    } else {
      exitedBeforeRegistration.insert(ObjectIdentifier(process))
    }
    let stopping = self.stopping
    lock.unlock()
    if spec.required && !stopping {
      emit(spec, index: index, "required process ended: stopping the launch")
      stop(code: status == 0 ? 0 : (process.terminationReason == .uncaughtSignal ? 128 + status : status))
    } else if spec.respawn && !stopping {
      // Counted so `run` keeps waiting across the respawn gap.
      lock.lock()
      respawnsPending += 1
      lock.unlock()
      DispatchQueue.global().asyncAfter(deadline: .now() + spec.respawnDelay) { [self] in
        emit(spec, index: index, "respawning")
        do { try spawn(spec, index: index) } catch { emit(spec, index: index, "\(error)") }
        lock.lock()
        respawnsPending -= 1
        lock.broadcast()
        lock.unlock()
      }
    }
    lock.lock()
    lock.broadcast()
    lock.unlock()
  }

  private func consume(_ data: Data, of spec: LaunchFile.Process, index: Int, final: Bool) {
    lock.lock()
    var buffer = buffers[spec.name, default: Data()]
    buffer.append(data)
    var lines: [String] = []
    while let newline = buffer.firstIndex(of: 0x0A) {
      lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
      buffer.removeSubrange(buffer.startIndex...newline)
    }
    if final && !buffer.isEmpty {
      lines.append(String(decoding: buffer, as: UTF8.self))
      buffer.removeAll()
    }
    buffers[spec.name] = buffer
    lock.unlock()
    for line in lines { emit(spec, index: index, line) }
  }

  private func emit(_ spec: LaunchFile.Process, index: Int, _ line: String) {
    let prefix = colour ? "\(Launcher.colours[index % Launcher.colours.count])[\(spec.name)]\u{1B}[0m" : "[\(spec.name)]"
    output("\(prefix) \(line)")
  }
}
