import ArgumentParser
import Cochlea
import Foundation
import Learner
import Storage

/// `r4ncl synth`: makes SHD-format data (shd_train.h5, shd_test.h5) from espeak-ng speech passed
/// through the cochlea model, deterministically for a seed whatever the thread count.
struct SynthCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "synth",
    abstract: "Synthesise SHD-format spoken-digit data (espeak-ng speech through the cochlea model).")

  @Option(help: "Output directory (gets shd_train.h5 and shd_test.h5).")
  var out: String
  @Option(help: "Number of training samples.")
  var train: Int = 1600
  @Option(help: "Number of test samples.")
  var test: Int = 400
  @Option(help: "Random seed (speakers, jitter, noise, fibres).")
  var seed: UInt64 = 1
  @Option(help: "Speakers in the training split.")
  var trainSpeakers: Int = 20
  @Option(help: "Speakers in the test split (disjoint from the training speakers).")
  var testSpeakers: Int = 6
  @Option(help: "Cochlea calibration: peak filter gain at 1 kHz.")
  var filterGain: Double = CochleaParameters().filterGain
  @Option(help: "Cochlea calibration: filter gain grows as (fc/1kHz)^slope.")
  var gainSlope: Double = CochleaParameters().gainSlope
  @Option(help: "Worker threads (default: all cores). The output does not depend on it.")
  var threads: Int?

  func validate() throws {
    guard (0...1_000_000).contains(train), (0...1_000_000).contains(test), train + test > 0 else {
      throw ValidationError("--train and --test must be in 0...1000000, not both 0")
    }
    guard trainSpeakers >= 1, testSpeakers >= 1, trainSpeakers <= VoiceCatalog.variants.count, testSpeakers <= VoiceCatalog.variants.count else {
      throw ValidationError("--train-speakers and --test-speakers must be in 1...\(VoiceCatalog.variants.count)")
    }
    guard filterGain.isFinite, gainSlope.isFinite else { throw ValidationError("--filter-gain and --gain-slope must be finite numbers") }
    try OutputPath.checkFolder(out, option: "--out")
    guard trainSpeakers + testSpeakers <= VoiceCatalog.variants.count else {
      throw ValidationError("at most \(VoiceCatalog.variants.count) speakers in total (one voice variant each)")
    }
    if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1...1024") }
  }

  func run() throws {
    let espeak = try Espeak()
    let plan = SynthesisPlan(
      trainCount: train, testCount: test, trainSpeakers: trainSpeakers, testSpeakers: testSpeakers, seed: seed)
    var parameters = CochleaParameters()
    parameters.filterGain = filterGain
    parameters.gainSlope = gainSlope
    let synthesizer = SpeechSynthesizer(corpus: DigitCorpus(espeak: espeak), cochlea: Cochlea(parameters: parameters))
    let workers = threads ?? ProcessInfo.processInfo.activeProcessorCount
    let directory = URL(fileURLWithPath: out)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let total = plan.train.count + plan.test.count
    let start = Date()
    var made = 0
    var summary = SynthSummary()
    // A live line on a terminal; in a log, one line per 100 samples.
    let terminal = isatty(STDERR_FILENO) != 0
    for (split, items) in [("train", plan.train), ("test", plan.test)] {
      let clips = try synthesizer.clips(items, speakers: plan.speakers, threads: workers) { done in
        if done % (terminal ? 10 : 100) == 0 || done == items.count {
          let elapsed = Date().timeIntervalSince(start)
          let finished = made + done
          let eta = elapsed / Double(finished) * Double(total - finished)
          let line = String(format: "synth %@ %d/%d  %.1f s elapsed, ~%.0f s left", split, done, items.count, elapsed, eta)
          FileHandle.standardError.write(Data((terminal ? "\r" + line + " " : line + "\n").utf8))
        }
      }
      made += clips.count
      summary.add(clips)
      let url = directory.appendingPathComponent("shd_\(split).h5")
      try SHDFile.write(dataset(clips), to: url, metadata: metadata(plan, split: split, clips: clips))
      if terminal { FileHandle.standardError.write(Data("\n".utf8)) }
      print("wrote \(url.path): \(clips.count) samples")
    }
    let seconds = Date().timeIntervalSince(start)
    print(String(format: "synth: %d samples in %.1f s on %d threads: %.1f ms per sample", total, seconds, workers, 1000 * seconds / Double(total)))
    print(summary.report)
  }

  func dataset(_ clips: [SynthesizedClip]) -> SpikeDataset {
    SpikeDataset(
      samples: clips.map { SpikeSample(times: $0.spikes.times, units: $0.spikes.channels, label: $0.label, speaker: $0.speaker) },
      channelCount: 700, classNames: DigitCorpus.words)
  }

  /// SHD's `extra/meta_info/*` (one entry per speaker id, both splits), the per-sample word in
  /// `extra/text`, and root attributes describing how the file was made.
  func metadata(_ plan: SynthesisPlan, split: String, clips: [SynthesizedClip]) -> SHDMetadata {
    let s = plan.speakers
    var extra: [String: HDF5Array] = [
      "meta_info/age": .uint16(s.map { UInt16($0.age) }),
      "meta_info/body_height": .float64(s.map(\.bodyHeight)),
      "meta_info/gender": .strings(s.map(\.gender)),
      "meta_info/en_voice": .strings(s.map(\.englishVoice)),
      "meta_info/de_voice": .strings(s.map(\.germanVoice)),
      "meta_info/variant": .strings(s.map(\.variant)),
      "meta_info/pitch": .uint16(s.map { UInt16($0.pitch) }),
      "meta_info/speed": .uint16(s.map { UInt16($0.speed) }),
      "meta_info/amplitude": .uint16(s.map { UInt16($0.amplitude) }),
      "meta_info/tilt": .float64(s.map(\.tilt)),
      "meta_info/snr_db": .float64(s.map(\.snrDB)),
      "meta_info/split": .strings(s.map(\.split)),
    ]
    extra["text"] = .strings(clips.map { DigitCorpus.words[$0.label] })
    let json = (try? JSONEncoder().encode(s)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    return SHDMetadata(
      attributes: [
        "fs_audio": .int(DigitCorpus.rate), "fs_spikes": .int(24_000),
        "generator": .string("r4ncl synth (espeak-ng + Swift cochlea: gammatone, Meddis hair cell, bushy cells after lauscher 1.0.1)"),
        "label_rule": .string("label = digit + 10*is_german; keys[label] = word"),
        "seed": .int(Int(truncatingIfNeeded: plan.seed)), "split": .string(split), "speakers_json": .string(json),
      ],
      extra: extra)
  }
}

/// Spike statistics printed at the end of `synth`.
struct SynthSummary {
  var samples = 0, spikes = 0
  var seconds = 0.0
  var perChannel = [Int](repeating: 0, count: 700)

  mutating func add(_ clips: [SynthesizedClip]) {
    for c in clips {
      samples += 1
      spikes += c.spikes.count
      seconds += c.duration
      for ch in c.spikes.channels { perChannel[Int(ch)] += 1 }
    }
  }

  var report: String {
    let rate = { (range: Range<Int>) in Double(range.map { perChannel[$0] }.reduce(0, +)) / Double(range.count) / max(seconds, 1e-9) }
    let blocks = stride(from: 0, to: 700, by: 50).map { String(format: "%.1f", rate($0..<($0 + 50))) }.joined(separator: " ")
    return String(
      format: "spikes per sample %.0f; mean clip %.3f s; mean per-channel rate %.2f Hz (ch 0-99 %.2f, 100-299 %.2f, 300-499 %.2f, 500-699 %.2f)\nper-channel rate by 50-channel block (Hz): %@",
      Double(spikes) / Double(max(samples, 1)), seconds / Double(max(samples, 1)), rate(0..<700), rate(0..<100),
      rate(100..<300), rate(300..<500), rate(500..<700), blocks)
  }
}
