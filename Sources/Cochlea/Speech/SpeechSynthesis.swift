import Foundation

/// What `r4ncl synth` makes: which speaker says which word with which seed, for both splits.
/// Labels cycle through the 20 words and speakers through their split, so classes and speakers
/// are balanced. Every clip's randomness (jitter, noise, fibres) comes from its own seed, derived
/// from (seed, split, index), so the output does not depend on the number of threads.
public struct SynthesisPlan: Sendable {
  /// One clip to make.
  public struct Item: Sendable, Equatable {
    public var label: Int, speaker: Int, seed: UInt64
  }
  public let speakers: [Speaker]
  public let train: [Item]
  public let test: [Item]
  public let seed: UInt64

  public init(trainCount: Int, testCount: Int, trainSpeakers: Int, testSpeakers: Int, seed: UInt64) {
    self.seed = seed
    speakers = VoiceCatalog.speakers(trainCount: trainSpeakers, testCount: testSpeakers, seed: seed)
    func items(_ count: Int, speakerIDs: Range<Int>, tag: UInt64) -> [Item] {
      (0..<count).map { i in
        var x = seed ^ (tag &* 0xA24B_AED4_963E_E407) ^ UInt64(i) &* 0x9FB2_1C65_1E98_DF25
        return Item(
          label: i % 20, speaker: speakerIDs.lowerBound + (i / 20) % speakerIDs.count, seed: splitMix64(&x))
      }
    }
    train = items(trainCount, speakerIDs: 0..<trainSpeakers, tag: 1)
    test = items(testCount, speakerIDs: trainSpeakers..<(trainSpeakers + testSpeakers), tag: 2)
  }
}

/// One synthesised sample: its spikes and what it is.
public struct SynthesizedClip: Sendable {
  public var spikes: CochleaSpikes
  public var label: Int
  public var speaker: Int
  /// Audio length in seconds.
  public var duration: Double
}

/// Speech -> cochlea for many clips in parallel.
public struct SpeechSynthesizer: Sendable {
  public let corpus: DigitCorpus
  public let cochlea: Cochlea

  public init(corpus: DigitCorpus, cochlea: Cochlea = Cochlea()) {
    self.corpus = corpus
    self.cochlea = cochlea
  }

  /// One clip: the utterance, then the whole-clip cochlea (RMS 0.3, Hann) seeded by the item.
  public func clip(_ item: SynthesisPlan.Item, speakers: [Speaker]) throws -> SynthesizedClip {
    let audio = try corpus.utterance(label: item.label, speaker: speakers[item.speaker], seed: item.seed)
    var x = item.seed
    let spikes = cochlea.convert(audio, seed: splitMix64(&x))
    return SynthesizedClip(
      spikes: spikes, label: item.label, speaker: item.speaker,
      duration: Double(audio.count) / cochlea.parameters.inputRate)
  }

  /// All `items` on `threads` threads (clips are handed out one at a time), results in item
  /// order; `progress(done)` is called after each clip (serialised). The first error stops it.
  public func clips(
    _ items: [SynthesisPlan.Item], speakers: [Speaker], threads: Int, progress: (Int) -> Void = { _ in }
  ) throws -> [SynthesizedClip] {
    var results = [SynthesizedClip?](repeating: nil, count: items.count)
    let lock = NSLock()
    var next = 0, done = 0
    var failure: Error?
    results.withUnsafeMutableBufferPointer { results in
      let out = results  // each index is written by exactly one worker
      DispatchQueue.concurrentPerform(iterations: max(1, threads)) { _ in
        while true {
          lock.lock()
          let i = next
          next += 1
          let stop = failure != nil
          lock.unlock()
          if stop || i >= items.count { return }
          do {
            let c = try clip(items[i], speakers: speakers)
            out[i] = c
            lock.lock()
            done += 1
            progress(done)
            lock.unlock()
          } catch {
            lock.lock()
            if failure == nil { failure = error }
            lock.unlock()
            return
          }
        }
      }
    }
    if let failure { throw failure }
    return results.map { $0! }
  }
}
