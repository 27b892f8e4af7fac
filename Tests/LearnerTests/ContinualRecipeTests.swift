import XCTest
@testable import Learner

/// Pretraining by a training recipe inside the continual phases: the recipe's front end
/// (pooling, onset alignment) and surrogate stay with the network through prepare and learn.
final class ContinualRecipeTests: XCTestCase {
  private func settings() throws -> ContinualSettings {
    var s = try ContinualFixture.settings("replay4ncl")
    let recipe = TrainingRecipe(
      name: "tiny", hidden: [24, 16], timesteps: 20, maxTime: ContinualFixture.maxTime, channelPooling: 2,
      onset: OnsetAlignment(quantile: 0.05, lead: 0.02), surrogateScale: 10, optimizer: .adamax, learningRate: 5e-3,
      batch: 16, epochs: 25, augmentation: AugmentationPolicy(timeShift: 0.005, stretch: 0.05, channelShift: 1, dropout: 0.05))
    s.adopt(recipe: recipe)
    return s
  }

  func testRecipePretrainingFeedsTheLaterPhases() throws {
    let data = ContinualFixture.data()
    let s = try settings()
    let result = try ContinualRun(data: data).run(s, oldClasses: [0, 1, 2], newClasses: [3])
    XCTAssertGreaterThan(try XCTUnwrap(result.pretrainedOld), 0.8, "recipe pretraining learns the 3 old classes")
    let final = try XCTUnwrap(result.learn.final)
    XCTAssertGreaterThan(try XCTUnwrap(final.new), 0.5, "the new class is learned through the recipe's front end")
    XCTAssertGreaterThan(try XCTUnwrap(final.old), 0.6, "replay keeps the old classes")
    let config = result.learn.network.config
    XCTAssertEqual(config.channelPooling, 2)
    XCTAssertEqual(config.inputCount, ContinualFixture.channels / 2)
    XCTAssertEqual(config.onset, OnsetAlignment(quantile: 0.05, lead: 0.02))
    XCTAssertEqual(config.surrogateScale, 10)
  }

  func testRecipeIsPartOfThePretrainCacheKey() throws {
    let s = try settings()
    var plain = s
    plain.pretrainRecipe = nil
    XCTAssertNotEqual(
      s.pretrainKey(oldClasses: [0, 1, 2], inputs: 32, classes: 4), plain.pretrainKey(oldClasses: [0, 1, 2], inputs: 32, classes: 4))
    var knob = ContinualSettings()
    try knob.set("pretrain_recipe", "r4ncl")
    XCTAssertEqual(knob.pretrainRecipe, .r4ncl)
    XCTAssertEqual(knob.hiddenSizes, TrainingRecipe.r4ncl.hidden)
    XCTAssertThrowsError(try knob.set("pretrain_recipe", "nope"))
  }
}

/// The knobs `ContinualSession.knobsTheNetworkFixes` names are exactly those `fitted` overrides.
final class FittedSettingsTests: XCTestCase {
  func testTheKnobsTheNetworkFixesHaveNoEffectOnAPretrainedNetwork() throws {
    let network = try Network(config: NetworkConfig(sizes: [40, 12, 8, 4], timesteps: 20, seed: 3))
    let base = try ContinualSettings.preset("replay4ncl")
    let fitted = try ContinualSession.fitted(base, to: network)
    let changes = ["hidden": "30,20", "timesteps": "77", "pretrain_timesteps": "66", "learn_timesteps": "55", "max_time": "0.9",
                   "epochs": "9"]
    for (key, value) in changes {
      var changed = base
      try changed.set(key, value)
      let refitted = try ContinualSession.fitted(changed, to: network)
      XCTAssertEqual(refitted == fitted, ContinualSession.knobsTheNetworkFixes.contains(key), key)
    }
  }
}
