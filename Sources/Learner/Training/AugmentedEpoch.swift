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
