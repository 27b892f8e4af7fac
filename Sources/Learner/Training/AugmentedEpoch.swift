import Dispatch
import Foundation

extension Trainer {
  /// One epoch on `dataset` re-binned with the policy's fresh jitter for (`seed`, `epoch`), so
  /// every epoch sees different events; progress events carry `epoch` (1-based). Returns the
  /// epoch's summary (nil for an empty set) and the seconds spent binning.
  func trainAugmentedEpoch(
    _ dataset: SpikeDataset, binning: SpikeBinning, policy: AugmentationPolicy, seed: UInt64, epoch: Int,
    progress: ((TrainingProgress) -> Void)?
  ) throws -> (summary: EpochSummary?, binningSeconds: Double) {
    let started = Date()
    let binned = try binning.bin(dataset, threads: runner.threadCount) { policy.jitter(seed: seed, epoch: epoch, index: $0) }
    let binningSeconds = Date().timeIntervalSince(started)
    let renumber = progress.map { report in { (event: TrainingProgress) in report(event.renumbered(epoch: epoch)) } }
    return (try train(binned: binned, epochs: 1, progress: renumber).last, binningSeconds)
  }
}

extension SpikeBinning {
  /// Bins every sample of `dataset`, `jitter(index)` applied, split over `threads` in fixed
  /// index ranges (the result does not depend on the thread count).
  func bin(_ dataset: SpikeDataset, threads: Int, jitter: @escaping (Int) -> EventJitter?) throws -> [BinnedSample] {
    let n = dataset.count
    let parts = max(1, min(threads, n))
    var results = [[BinnedSample]](repeating: [], count: parts)
    var failure: Error?
    let lock = NSLock()
    results.withUnsafeMutableBufferPointer { out in
      let out = out
      DispatchQueue.concurrentPerform(iterations: parts) { p in
        let lo = p * n / parts, hi = (p + 1) * n / parts
        do {
          var chunk: [BinnedSample] = []
          chunk.reserveCapacity(hi - lo)
          for i in lo..<hi {
            chunk.append(try bin(dataset.samples[i], channelCount: dataset.channelCount, jitter: jitter(i)))
          }
          out[p] = chunk
        } catch {
          lock.lock()
          failure = failure ?? error
          lock.unlock()
        }
      }
    }
    if let failure { throw failure }
    return results.flatMap { $0 }
  }
}
