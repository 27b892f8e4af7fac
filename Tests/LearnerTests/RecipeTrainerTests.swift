import XCTest
@testable import Learner

/// Speaker-disjoint validation split and recipe training with augmentation and model selection.
final class RecipeTrainerTests: XCTestCase {
  private func withSpeakers(_ d: SpikeDataset, speakers: Int) -> SpikeDataset {
    var d = d
    for i in d.samples.indices { d.samples[i].speaker = i % speakers }
    return d
  }

  func testSpeakerSplitHoldsOutWholeSpeakers() {
    let d = withSpeakers(SyntheticSpikes.dataset(classes: 3, perClass: 10, channels: 12, seed: 1), speakers: 5)
    let (fit, validation) = SpeakerSplit.split(d, validationSpeakers: 2, seed: 9)
    let fitSpeakers = Set(fit.samples.compactMap(\.speaker)), valSpeakers = Set(validation!.samples.compactMap(\.speaker))
    XCTAssertEqual(valSpeakers.count, 2)
    XCTAssertTrue(fitSpeakers.isDisjoint(with: valSpeakers))
    XCTAssertEqual(fit.count + validation!.count, d.count)
    XCTAssertNil(SpeakerSplit.split(d, validationSpeakers: 0, seed: 9).validation)
    XCTAssertNil(SpeakerSplit.split(d, validationSpeakers: 5, seed: 9).validation)  // nothing would be left to fit
  }

  func testRecipeTrainingLearnsAndKeepsTheBestValidationEpoch() throws {
    let d = withSpeakers(SyntheticSpikes.dataset(classes: 3, perClass: 16, channels: 24, seed: 2), speakers: 6)
    let recipe = TrainingRecipe(
      name: "tiny", hidden: [16], timesteps: 20, maxTime: 1.0, channelPooling: 2, onset: nil, surrogateScale: 10,
      optimizer: .adam, learningRate: 5e-3, batch: 8, epochs: 8,
      augmentation: AugmentationPolicy(timeShift: 0.02, stretch: 0.05, channelShift: 1, dropout: 0.05), validationSpeakers: 2)
    let (fit, validation) = SpeakerSplit.split(d, validationSpeakers: recipe.validationSpeakers, seed: 1)
    let trainer = try RecipeTrainer(recipe: recipe, sensorChannels: 24, classes: 3, seed: 4, threads: 2)
    let reports = try trainer.run(fit: fit, validation: validation)
    XCTAssertEqual(reports.count, 8)
    let best = reports.compactMap(\.validationAccuracy).max()!
    XCTAssertEqual(trainer.bestValidationAccuracy, best)
    XCTAssertEqual(reports[trainer.bestEpoch - 1].validationAccuracy, best)
    XCTAssertGreaterThan(best, 0.6)  // chance is 1/3
    // The kept weights are the best epoch's: evaluating them gives its validation accuracy.
    XCTAssertEqual(try trainer.trainer.evaluate(.binned(trainer.bin(validation!))).accuracy, best)

    // Same seed: the same run, augmentation draws included.
    let again = try RecipeTrainer(recipe: recipe, sensorChannels: 24, classes: 3, seed: 4, threads: 2)
    let reportsAgain = try again.run(fit: fit, validation: validation)
    XCTAssertEqual(reportsAgain.map(\.summary.meanLoss), reports.map(\.summary.meanLoss))
  }

  func testRecipeValidationNamesTheField() {
    var r = TrainingRecipe.r4ncl
    r.augmentation = AugmentationPolicy(stretch: 1.5)
    XCTAssertThrowsError(try r.validate()) { XCTAssertTrue("\($0)".contains("augmentation.stretch")) }
    r = .r4ncl
    r.onset = OnsetAlignment(quantile: 0.05, lead: 2)
    XCTAssertThrowsError(try r.validate()) { XCTAssertTrue("\($0)".contains("onset.lead")) }
  }

  func testWeightDecayShrinksWeightsWithoutGradient() {
    let opt = Optimizer(OptimizerSettings(kind: .adam, learningRate: 0.1, weightDecay: 0.5))
    var w: [Float] = [2, -4]
    opt.step(name: "w", values: &w, grad: [0, 0])
    XCTAssertEqual(w[0], 2 * 0.95, accuracy: 1e-6)
    XCTAssertEqual(w[1], -4 * 0.95, accuracy: 1e-6)
  }
}
