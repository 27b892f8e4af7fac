import Foundation

/// Runs the espeak-ng command-line synthesiser (Debian package `espeak-ng`): text in, WAV out.
public struct Espeak: Sendable {
  /// Path of the espeak-ng executable.
  public let executable: String

  /// Finds `espeak-ng` on PATH (or uses `path`); throws `SpeechError.espeakMissing` otherwise.
  public init(path: String? = nil) throws {
    if let path {
      guard FileManager.default.isExecutableFile(atPath: path) else { throw SpeechError.espeakMissing(searched: path) }
      executable = path
      return
    }
    let dirs = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
    for dir in dirs + ["/usr/bin", "/usr/local/bin"] {
      let candidate = "\(dir)/espeak-ng"
      if FileManager.default.isExecutableFile(atPath: candidate) {
        executable = candidate
        return
      }
    }
    throw SpeechError.espeakMissing(searched: dirs.joined(separator: ":"))
  }

  /// Synthesises `text` with espeak-ng voice `voice` (e.g. "en-gb+m3"), `speed` words per
  /// minute, `pitch` 0...99 and `amplitude` 0...200; returns the decoded audio (22050 Hz).
  public func synthesize(_ text: String, voice: String, speed: Int, pitch: Int, amplitude: Int) throws -> WAVAudio {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["--stdout", "-v", voice, "-s", "\(speed)", "-p", "\(pitch)", "-a", "\(amplitude)", text]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { throw SpeechError.espeakFailed(voice: voice, text: text, detail: "\(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let message = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw SpeechError.espeakFailed(
        voice: voice, text: text,
        detail: "exit \(process.terminationStatus): \(String(decoding: message, as: UTF8.self))")
    }
    do {
      return try WAVAudio.decode(data, name: "espeak-ng output for '\(text)' (\(voice))")
    } catch let error as WAVError {
      throw SpeechError.espeakFailed(voice: voice, text: text, detail: error.description)
    }
  }
}

/// Why speech could not be synthesised.
public enum SpeechError: Error, Equatable, CustomStringConvertible {
  /// No espeak-ng executable was found.
  case espeakMissing(searched: String)
  /// espeak-ng ran but failed or produced no usable audio.
  case espeakFailed(voice: String, text: String, detail: String)

  public var description: String {
    switch self {
    case .espeakMissing(let s):
      return "espeak-ng not found (searched \(s)); install it with `apt-get install espeak-ng`"
    case .espeakFailed(let v, let t, let d): return "espeak-ng failed for '\(t)' with voice \(v): \(d)"
    }
  }
}
