import Foundation
import Node

/// Progress output: on a terminal one status line rewritten in place (`\r`), otherwise (a log
/// file, a pipe) only finished lines, so logs hold one line per epoch instead of thousands.
struct ProgressLine {
  /// Whether standard output is a terminal.
  let isTerminal: Bool = isatty(STDOUT_FILENO) != 0
  private var isShowingLive = false
  private var lastPeriodic = Clock.monotonicSeconds()

  /// Replaces the live line (terminals only; ignored otherwise).
  mutating func update(_ text: String) {
    guard isTerminal else { return }
    fputs("\r\u{1B}[K" + text, stdout)
    fflush(stdout)
    isShowingLive = true
  }

  /// Progress of a long wait or stream, throttled: the live line at most every `terminalEvery`
  /// seconds on a terminal, a logged line every 10 s elsewhere (counted from creation).
  /// `text` is built only when shown.
  mutating func periodic(_ text: @autoclosure () -> String, terminalEvery: Double = 1) {
    let now = Clock.monotonicSeconds()
    guard now - lastPeriodic >= (isTerminal ? terminalEvery : 10) else { return }
    lastPeriodic = now
    if isTerminal { update(text()) } else { log(text()) }
  }

  /// Prints a finished line (clearing the live line on a terminal).
  mutating func log(_ text: String) {
    if isShowingLive { fputs("\r\u{1B}[K", stdout) }
    isShowingLive = false
    fputs(text + "\n", stdout)
    fflush(stdout)
  }
}

/// Formats a fraction as a percentage with one decimal ("54.3%").
func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

/// Prints one line to standard error (warnings that must not mix into `--json` output).
func warn(_ text: String) { fputs("warning: " + text + "\n", stderr) }
