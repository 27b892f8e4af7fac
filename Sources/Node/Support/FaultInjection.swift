import Foundation

/// Fault injection for crash-consistency tests, switched on by the environment so a real
/// `r4ncl node` process can be stopped at a chosen point and killed there.
///
/// `R4NCL_FAULT_PAUSE_BEFORE_RENAME=<marker path>`: every atomic file replacement (checkpoints,
/// spool compaction) pauses after its temporary file is written and fsync'd and before the
/// rename: it writes the target's path into the marker file and waits until the marker is
/// removed (at most 60 s), so a test can SIGKILL the process with a complete temporary file and
/// the old target on disk. Unset (the default) it costs one environment lookup per write.
public enum FaultInjection {
  /// The environment variable naming the marker file.
  public static let pauseBeforeRenameVariable = "R4NCL_FAULT_PAUSE_BEFORE_RENAME"

  /// Called by the atomic writer between fsync and rename of `target`.
  public static func pauseBeforeRename(_ target: String) {
    guard let marker = ProcessInfo.processInfo.environment[pauseBeforeRenameVariable], !marker.isEmpty else { return }
    _ = FileManager.default.createFile(atPath: marker, contents: Data(target.utf8))
    let deadline = Date().addingTimeInterval(60)
    while FileManager.default.fileExists(atPath: marker) && Date() < deadline { usleep(10_000) }
  }
}
