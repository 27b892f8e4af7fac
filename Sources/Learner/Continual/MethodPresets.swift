/// The four methods of issue 3 as defaults of `ContinualSettings`. naive, joint and replay4ncl
/// share one T = 40 model pretrained with the project's training recipe (`TrainingRecipe.r4ncl`);
/// spikinglr keeps SpikingLR's own network, settings and T = 100, as published. Replay samples
/// and seed are the same for all.
extension ContinualSettings {
  /// Method names `preset(_:)` knows, in report order.
  public static let presetNames = ["naive", "joint", "spikinglr", "replay4ncl"]

  /// The preset called `name` (case-insensitive).
  public static func preset(_ name: String) throws -> ContinualSettings {
    var s = ContinualSettings()
    if name.lowercased() != "spikinglr" { s.adopt(recipe: .r4ncl) }
    switch name.lowercased() {
    case "naive":
      // Fine-tune all weights on the new class only, 10 epochs (SpikingLR's naive baseline),
      // from the T = 40 pretrained model shared with replay4ncl.
      s.method = "naive"
      s.strategy = .naive
      s.pretrainTimesteps = 40
      s.learnTimesteps = 40
      s.learnEpochs = 10
      s.codec = "none"
    case "joint":
      // Retrain from the pretrained model on all old and new data: the upper bound.
      s.method = "joint"
      s.strategy = .joint
      s.pretrainTimesteps = 40
      s.learnTimesteps = 40
      s.learnLearningRate = s.pretrainLearningRate
      s.learnEpochs = 20
      s.codec = "none"
    case "spikinglr":
      // T = 100, OR-pooled replay 1:2 decompressed to the first step of each window,
      // threshold 1.0, lr 2e-4 in the learning phase.
      s.method = "spikinglr"
      s.strategy = .replay
      s.pretrainTimesteps = 100
      s.learnTimesteps = 100
      s.depth = 2
      s.learnEpochs = 50
      s.codec = "orpool:2"
      s.learnLearningRate = 2e-4
      s.learnThresholds = nil
    case "replay4ncl":
      // T = 40 for pretraining and replay, lossless replay, lowered threshold in the
      // learning phase, adaptive threshold. Values chosen by measurement on shd-dev (the paper
      // does not publish them): with new classes 19, 5 and 12, 20 epochs at the pretraining
      // recipe's rate 2e-3 matched or beat spikinglr's 50 epochs on old, new and all classes,
      // while lowered rates (5e-4, 1e-3) needed more epochs for the new class (README); checked
      // afterwards on classes 0 and 9. So the rate is not lowered, and the phase is 20 epochs.
      s.method = "replay4ncl"
      s.strategy = .replay
      s.pretrainTimesteps = 40
      s.learnTimesteps = 40
      s.depth = 2
      s.learnEpochs = 20
      s.codec = "auto"
      s.learnLearningRate = 2e-3
      s.learnThresholds = [Float](repeating: 0.9, count: s.hiddenSizes.count)
      s.adaptiveThreshold = AdaptiveThresholdSettings(enabled: true, rate: 0.01, lower: 0.5, upper: 1.5)
    default:
      throw ContinualError.unknownMethod(name)
    }
    return s
  }
}
