import Foundation

/// Mono audio decoded from a RIFF/WAVE file (16-bit, 24-bit or 32-bit PCM, or 32-bit float;
/// several channels are averaged). espeak-ng streams WAV to stdout with a placeholder data size,
/// so a data chunk longer than the file is read up to the end of the file.
public struct WAVAudio: Sendable, Equatable {
  /// Sample rate in Hz.
  public var rate: Int
  /// Samples in [-1, 1].
  public var samples: [Float]

  public init(rate: Int, samples: [Float]) {
    self.rate = rate
    self.samples = samples
  }

  /// Reads and decodes the WAV file at `url`.
  public static func read(_ url: URL) throws -> WAVAudio {
    let data: Data
    do { data = try Data(contentsOf: url) } catch { throw WAVError.unreadable(file: url.path, detail: reason(error)) }
    return try decode(data, name: url.path)
  }

  /// "no such file or directory": the system's reason under Foundation's error, not its dump.
  private static func reason(_ error: Error) -> String {
    if let posix = (error as NSError).userInfo[NSUnderlyingErrorKey] as? POSIXError {
      return String(cString: strerror(posix.code.rawValue)).lowercased()
    }
    return error.localizedDescription
  }

  /// Decodes WAV bytes; `name` names the source in errors.
  public static func decode(_ data: Data, name: String) throws -> WAVAudio {
    let bytes = [UInt8](data)
    func u16(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 }
    func u32(_ i: Int) -> Int { u16(i) | u16(i + 2) << 16 }
    func tag(_ i: Int) -> String { String(decoding: bytes[i..<i + 4], as: UTF8.self) }
    guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else { throw WAVError.notWAV(file: name) }
    var format: (code: Int, channels: Int, rate: Int, bits: Int)?
    var offset = 12
    while offset + 8 <= bytes.count {
      let id = tag(offset), size = u32(offset + 4), body = offset + 8
      if id == "fmt " {
        guard size >= 16, body + 16 <= bytes.count else { throw WAVError.truncated(file: name, chunk: "fmt ") }
        var code = u16(body)
        // WAVE_FORMAT_EXTENSIBLE: the real format code starts the sub-format GUID.
        if code == 0xFFFE && size >= 40 && body + 26 <= bytes.count { code = u16(body + 24) }
        format = (code, u16(body + 2), u32(body + 4), u16(body + 14))
      } else if id == "data" {
        guard let f = format else { throw WAVError.unsupportedFormat(file: name, detail: "data chunk before fmt chunk") }
        let end = min(body + size, bytes.count)
        return WAVAudio(rate: f.rate, samples: try samples(bytes[body..<end], format: f, name: name))
      }
      offset = body + size + (size & 1)
    }
    throw WAVError.truncated(file: name, chunk: format == nil ? "fmt " : "data")
  }

  private static func samples(
    _ body: ArraySlice<UInt8>, format f: (code: Int, channels: Int, rate: Int, bits: Int), name: String
  ) throws -> [Float] {
    guard f.channels >= 1 else { throw WAVError.unsupportedFormat(file: name, detail: "0 channels") }
    guard f.rate > 0 else { throw WAVError.unsupportedFormat(file: name, detail: "sample rate 0") }
    let width: Int
    switch (f.code, f.bits) {
    case (1, 16): width = 2
    case (1, 24): width = 3
    case (1, 32), (3, 32): width = 4
    default:
      throw WAVError.unsupportedFormat(
        file: name, detail: "format code \(f.code) with \(f.bits) bits (need PCM 16/24/32 or float 32)")
    }
    let frame = width * f.channels
    let frames = body.count / frame
    guard frames > 0 else { throw WAVError.emptyAudio(file: name) }
    var out = [Float](repeating: 0, count: frames)
    let bytes = Array(body)
    for i in 0..<frames {
      var sum: Float = 0
      for c in 0..<f.channels {
        let at = i * frame + c * width
        switch (f.code, width) {
        case (1, 2): sum += Float(Int16(bitPattern: UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8)) / 32_768
        case (1, 3):
          let v = Int32(bitPattern: UInt32(bytes[at]) << 8 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 24)
          sum += Float(v >> 8) / 8_388_608
        case (1, 4):
          let v = Int32(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
          sum += Float(v) / 2_147_483_648
        default:
          sum += Float(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)
        }
      }
      out[i] = sum / Float(f.channels)
    }
    return out
  }

  /// Encodes mono 16-bit PCM WAV bytes (for tests and for saving synthesised speech).
  public func encoded() -> Data {
    var d = Data()
    func put32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
    func put16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
    d.append(contentsOf: Array("RIFF".utf8)); put32(36 + 2 * samples.count)
    d.append(contentsOf: Array("WAVEfmt ".utf8)); put32(16); put16(1); put16(1)
    put32(rate); put32(2 * rate); put16(2); put16(16)
    d.append(contentsOf: Array("data".utf8)); put32(2 * samples.count)
    for s in samples {
      let v = Int16(max(-32_768, min(32_767, (s * 32_768).rounded())))
      put16(Int(UInt16(bitPattern: v)))
    }
    return d
  }
}

/// Why audio could not be read.
public enum WAVError: Error, Equatable, CustomStringConvertible {
  /// The file could not be opened or read.
  case unreadable(file: String, detail: String)
  /// The bytes do not start with a RIFF/WAVE header.
  case notWAV(file: String)
  /// A WAV encoding this reader does not decode (e.g. 8-bit, A-law, 64-bit float).
  case unsupportedFormat(file: String, detail: String)
  /// The file ends before the named chunk is complete or found.
  case truncated(file: String, chunk: String)
  /// The data chunk holds no samples.
  case emptyAudio(file: String)
  /// The sample rate is not the one required.
  case wrongSampleRate(file: String, expected: Int, found: Int)

  public var description: String {
    switch self {
    case .unreadable(let f, let d): return "\(f): cannot read: \(d)"
    case .notWAV(let f): return "\(f): not a WAV file (no RIFF/WAVE header)"
    case .unsupportedFormat(let f, let d): return "\(f): unsupported WAV format: \(d)"
    case .truncated(let f, let c): return "\(f): WAV file ends before its '\(c)' chunk is complete"
    case .emptyAudio(let f): return "\(f): the WAV data chunk holds no samples"
    case .wrongSampleRate(let f, let e, let r): return "\(f): sample rate \(r) Hz, expected \(e) Hz"
    }
  }
}
