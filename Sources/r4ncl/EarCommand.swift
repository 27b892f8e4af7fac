import ArgumentParser
import Cochlea
import Foundation
import Learner
import Storage

/// `r4ncl ear`: streams audio (a WAV file or raw PCM on stdin) chunk by chunk through the cochlea
/// in time order, cuts the spikes into windows and writes them as an SHD-format file.
struct EarCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ear",
    abstract: "Stream audio through the cochlea model into SHD-format spike samples.")

  @Option(help: "WAV file to read (at any sample rate: other rates than 48 kHz are resampled).")
  var wav: String?
  @Flag(help: "Read raw little-endian PCM from standard input instead (see --format).")
  var stdinPcm = false
  @Option(help: "Raw PCM sample format on stdin: s16le or f32le.")
  var format: String = "s16le"
  @Option(help: "Sample rate of the raw PCM on stdin in Hz: 48000 only, the cochlea's rate (resample the stream first).")
  var rate: Int = 48_000
  @Option(help: "Output SHD-format file.")
  var out: String
  @Option(help: "Chunk length in milliseconds.")
  var chunkMs: Double = 20
  @Option(help: "Sample window length in milliseconds.")
  var windowMs: Double = 1000
  @Option(help: "Keep only windows with at least this many spikes (energy gate).")
  var minSpikes: Int = 1500
  @Option(help: "Label written for every sample (SHD needs one).")
  var label: Int = 0
  @Option(help: "Seed of the fibre noise.")
  var seed: UInt64 = 1
  @Flag(help: "Pace a WAV file at real time (as a microphone would deliver it).")
  var realtime = false

  func validate() throws {
    guard (wav != nil) != stdinPcm else { throw ValidationError("give exactly one of --wav FILE or --stdin-pcm") }
    guard rate == 48_000 else {
      throw ValidationError("--rate must be 48000: the cochlea runs on 48 kHz audio (resample raw PCM first; WAV files are resampled)")
    }
    guard chunkMs > 0, chunkMs <= 60_000, windowMs > 0, windowMs <= 3_600_000 else {
      throw ValidationError("--chunk-ms must be in (0, 60000] and --window-ms in (0, 3600000]")
    }
    guard ["s16le", "f32le"].contains(format) else { throw ValidationError("--format must be s16le or f32le") }
    guard SHDFile.labelRange.contains(label) else { throw ValidationError("--label must be in 0...65535") }
    try OutputPath.checkFile(out, option: "--out")
  }

  func run() throws {
    let ear = StreamingEar(cochlea: Cochlea(), seed: seed, window: windowMs / 1000, minSpikes: minSpikes)
    let chunk = max(1, Int(Double(rate) * chunkMs / 1000))
    var windows = [CochleaSpikes]()
    let start = Date()
    if let wav {
      var audio = try WAVAudio.read(URL(fileURLWithPath: wav))
      if audio.rate != rate {
        guard Resampler.supports(from: audio.rate, to: rate) else { throw WAVError.wrongSampleRate(file: wav, expected: rate, found: audio.rate) }
        print("ear: resampling \(wav) from \(audio.rate) Hz to \(rate) Hz")
        audio = WAVAudio(rate: rate, samples: Resampler(from: audio.rate, to: rate)(audio.samples))
      }
      var offset = 0
      while offset < audio.samples.count {
        let end = min(offset + chunk, audio.samples.count)
        windows += ear.feed(Array(audio.samples[offset..<end]))
        offset = end
        if realtime {
          let due = Double(offset) / Double(rate) - Date().timeIntervalSince(start)
          if due > 0 { Thread.sleep(forTimeInterval: due) }
        }
      }
    } else {
      let width = format == "s16le" ? 2 : 4
      var carry = Data()
      while true {
        let data = FileHandle.standardInput.readData(ofLength: chunk * width)
        if data.isEmpty { break }
        carry.append(data)
        let usable = carry.count / width * width
        windows += ear.feed(decode(carry.prefix(usable), width: width))
        carry = Data(carry.dropFirst(usable))
      }
    }
    windows += ear.finish()
    guard ear.seconds > 0 else { throw WAVError.emptyAudio(file: wav ?? "standard input") }
    let samples = windows.map { SpikeSample(times: $0.times, units: $0.channels, label: label) }
    try SHDFile.write(SpikeDataset(samples: samples, channelCount: 700, classNames: DigitCorpus.words), to: URL(fileURLWithPath: out))
    let elapsed = Date().timeIntervalSince(start)
    print(String(
      format: "ear: %.2f s of audio in %.2f s (%.1fx real time), %d windows kept, %d spikes -> %@",
      ear.seconds, elapsed, ear.seconds / max(elapsed, 1e-9), samples.count, samples.map(\.eventCount).reduce(0, +), out))
  }

  func decode(_ data: Data, width: Int) -> [Float] {
    let bytes = [UInt8](data)
    return stride(from: 0, to: bytes.count, by: width).map { i in
      if width == 2 { return Float(Int16(bitPattern: UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8)) / 32_768 }
      return Float(bitPattern: UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
    }
  }
}
