import XCTest

@testable import Learner

/// Absurd sizes in a configuration, recipe or setting are named errors before the engine forms
/// a product from them (an `r4ncl train --batch 9223372036854775807` used to trap).
final class EngineLimitsTests: XCTestCase {
  private func field(_ body: () throws -> Void) -> String? {
    do { try body() } catch let NetworkError.invalidConfig(field, _) { return field } catch let TrainingRecipeError.invalid(field, _) {
      return field
    } catch let ContinualError.invalidSetting(field, _) { return field } catch { return "unexpected \(error)" }
    return nil
  }

  func testWeightCountCountsFeedForwardAndRecurrentMatrices() {
    XCTAssertEqual(EngineLimits.weightCount(sizes: [700, 200, 20], recurrent: [true]), 700 * 200 + 200 * 200 + 200 * 20)
    XCTAssertEqual(EngineLimits.weightCount(sizes: [700, 200, 20], recurrent: [false]), 700 * 200 + 200 * 20)
    XCTAssertNil(EngineLimits.weightCount(sizes: [700, Int.max, 20], recurrent: [true]))
  }

  func testNetworkConfigNamesSizesTimestepsAndPoolingBeyondTheLimits() {
    var config = NetworkConfig.reference(timesteps: EngineLimits.timesteps)
    XCTAssertNil(field { try config.validate() })
    config.timesteps = EngineLimits.timesteps + 1
    XCTAssertEqual(field { try config.validate() }, "timesteps")
    config = NetworkConfig(sizes: [700, EngineLimits.layerSize + 1, 20])
    XCTAssertEqual(field { try config.validate() }, "sizes")
    config = NetworkConfig(sizes: [700, 20_000, 20])  // 700·20000 + 20000² recurrent = 4.1e8 weights
    XCTAssertEqual(field { try config.validate() }, "sizes")
    XCTAssertThrowsError(try Network(config: config)) { XCTAssertTrue("\($0)".contains("weights, more than"), "\($0)") }
    config = NetworkConfig(sizes: [700, 20_000, 20], recurrent: [false])  // 1.4e7: fine without V
    XCTAssertNil(field { try config.validate() })
    config.channelPooling = Int.max
    XCTAssertEqual(field { try config.validate() }, "channelPooling")
  }

  func testTrainingRecipeNamesEveryOversizedCount() {
    let cases: [(String, (inout TrainingRecipe) -> Void)] = [
      ("hidden", { $0.hidden = [Int.max] }), ("timesteps", { $0.timesteps = Int.max }),
      ("channel_pooling", { $0.channelPooling = Int.max }), ("batch", { $0.batch = Int.max }),
      ("epochs", { $0.epochs = Int.max }), ("validation_speakers", { $0.validationSpeakers = Int.max }),
    ]
    for (name, spoil) in cases {
      var recipe = TrainingRecipe.r4ncl
      spoil(&recipe)
      XCTAssertEqual(field { try recipe.validate() }, name)
    }
    XCTAssertNil(field { try TrainingRecipe.r4ncl.validate() })
  }

  func testContinualSettingsNameEveryOversizedCount() throws {
    let cases: [(String, (inout ContinualSettings) -> Void)] = [
      ("hidden", { $0.hiddenSizes = [200, Int.max, 50] }), ("pretrain_timesteps", { $0.pretrainTimesteps = Int.max }),
      ("learn_timesteps", { $0.learnTimesteps = Int.max }), ("replay_per_class", { $0.replaySamplesPerClass = Int.max }),
      ("pretrain_epochs", { $0.pretrainEpochs = Int.max }), ("epochs", { $0.learnEpochs = Int.max }),
      ("batch_size", { $0.batchSize = Int.max }),
    ]
    for (name, spoil) in cases {
      var settings = try ContinualSettings.preset("replay4ncl")
      spoil(&settings)
      XCTAssertEqual(field { try settings.validate() }, name)
    }
  }

  /// Each factor within its limit can still multiply past memory: T = 1e5 × batch 65536 × 176
  /// inputs aborted allocating 16e9 floats; it is now a named error before any allocation.
  func testActivationsBeyondTheLimitAreAnError() throws {
    var recipe = TrainingRecipe.r4ncl
    recipe.timesteps = EngineLimits.timesteps
    recipe.batch = EngineLimits.batch
    XCTAssertNoThrow(try recipe.validate())
    XCTAssertThrowsError(try RecipeTrainer(recipe: recipe, sensorChannels: 700, classes: 20, seed: 0)) {
      XCTAssertTrue("\($0)".contains("T × batch × widest layer"), "\($0)")
    }
    let network = try Network(config: NetworkConfig(sizes: [40, 12, 4], timesteps: 20, seed: 1))
    var settings = try ContinualSettings.preset("naive")
    try settings.set("batch_size", "\(EngineLimits.batch)")
    XCTAssertNoThrow(try ContinualSession.fitted(settings, to: network))  // 20 × 65536 × 40 fits
    let wide = try Network(config: NetworkConfig(sizes: [4000, 12, 4], recurrent: [false], timesteps: 5000, seed: 1))
    XCTAssertThrowsError(try ContinualSession.fitted(settings, to: wide)) { XCTAssertEqual(($0 as? ContinualError).map { "\($0)" }?.contains("batch_size"), true, "\($0)") }
  }
}

