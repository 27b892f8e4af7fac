/// Splits a training set by speaker into fit and validation parts, so model selection never
/// sees the test file and validation speakers are, like test speakers, unheard in training.
public enum SpeakerSplit {
  /// Holds out `count` speakers chosen with `seed` (all samples of a speaker go to one side).
  /// Samples without a speaker id stay in the fit part. `count == 0` returns no validation set.
  public static func split(_ dataset: SpikeDataset, validationSpeakers count: Int, seed: UInt64) -> (fit: SpikeDataset, validation: SpikeDataset?) {
    guard count > 0 else { return (dataset, nil) }
    let speakers = Array(Set(dataset.samples.compactMap(\.speaker))).sorted()
    guard speakers.count > count else { return (dataset, nil) }
    var g = SeededGenerator(seed: seed)
    let held = Set(speakers.shuffled(using: &g).prefix(count))
    var fit = dataset, validation = dataset
    fit.samples = dataset.samples.filter { !($0.speaker.map(held.contains) ?? false) }
    validation.samples = dataset.samples.filter { $0.speaker.map(held.contains) ?? false }
    return (fit, validation)
  }
}
