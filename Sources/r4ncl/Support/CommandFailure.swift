/// A failure found while a command runs, not a bad argument (a file's contents, a peer that does
/// not answer): argument-parser prints it as one `Error: ...` line and exits 1. A `ValidationError`
/// thrown from `run()` instead gets the root command's usage appended (`Usage: r4ncl <subcommand>`),
/// which misleads; argument checks belong in `validate()`, where the usage is the subcommand's.
struct CommandFailure: Error, CustomStringConvertible {
  /// The one-line message.
  let description: String

  init(_ description: String) { self.description = description }
}
