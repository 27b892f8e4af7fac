import Foundation
import Learner
import Storage
import XCTest
import Yams

/// `r4ncl train` by recipe and `r4ncl eval`'s per-speaker report, run as processes on the
/// committed synthetic fixture; the shipped recipe files agree with the built-in recipes.
final class TrainCommandTests: XCTestCase {
  func testRecipeFilesMatchTheBuiltInRecipes() throws {
    for (name, builtIn) in TrainingRecipe.builtIn {
      let path = Paths.root + "/presets/recipes/\(name).yaml"
      let text = try String(contentsOfFile: path, encoding: .utf8)
      let decoded = try YAMLDecoder().decode(TrainingRecipe.self, from: text)
      XCTAssertEqual(decoded, builtIn, "\(path) and TrainingRecipe.\(name) disagree")
    }
  }

  func testTrainSelectsOnHeldOutSpeakersAndEvalReportsPerSpeaker() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let model = data + "/model.h5"
    let train = try ChildProcess.run(
      r4ncl, ["train", "--data", data, "--epochs", "3", "--validation-speakers", "1", "--hidden", "16", "--test", "--out", model])
    XCTAssertEqual(train.status, 0, train.output)
    XCTAssertTrue(train.output.contains("recipe r4ncl+overrides"), train.output)
    XCTAssertTrue(train.output.contains("validation: "), train.output)
    XCTAssertTrue(train.output.contains("kept epoch"), train.output)
    XCTAssertTrue(FileManager.default.fileExists(atPath: model))
    // Runs repeat bit for bit only on the same BLAS kernels: the log and the model name them.
    XCTAssertFalse(BLASKernels.name.isEmpty)
    XCTAssertTrue(train.output.contains("OpenBLAS \(BLASKernels.name) kernels"), train.output)
    XCTAssertEqual(try ModelFile.loadModel(URL(fileURLWithPath: model)).info["blas_kernels"], .string(BLASKernels.name))

    let eval = try ChildProcess.run(r4ncl, ["eval", "--model", model, "--data", data, "--json"])
    XCTAssertEqual(eval.status, 0, eval.output)
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.output.utf8)) as? [String: Any])
    let perSpeaker = try XCTUnwrap(json["per_speaker"] as? [[String: Any]])
    let samples = try XCTUnwrap(json["samples"] as? Int)
    XCTAssertEqual(perSpeaker.count, 1)  // the fixture's test split is one unseen speaker
    XCTAssertEqual(perSpeaker.first?["speaker"] as? Int, 2)
    XCTAssertEqual(perSpeaker.compactMap { $0["samples"] as? Int }.reduce(0, +), samples)
  }

  /// `--log-batches` logs every optimizer step with its spikes per hidden layer; `--init-jitter`
  /// is announced in the log and stored in the model, so a jittered run can be told apart.
  func testLogBatchesLogsEveryStepAndInitJitterIsRecorded() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let model = data + "/model.h5"
    let train = try ChildProcess.run(
      r4ncl, ["train", "--data", data, "--epochs", "2", "--batch", "16", "--hidden", "16,8", "--validation-speakers", "0",
              "--log-batches", "--init-jitter", "3", "--out", model])
    XCTAssertEqual(train.status, 0, train.output)
    XCTAssertTrue(train.output.contains("initial weights jittered by seed 3"), train.output)
    let steps = train.output.split(separator: "\n").filter { $0.contains(" batch ") && $0.contains(" spikes ") }
    let batchCount = try XCTUnwrap(steps.first.flatMap { line -> Int? in  // "epoch 1/2  batch 1/K  loss ..."
      let words = line.split(separator: " ")
      return words.firstIndex(of: "batch").flatMap { Int(words[$0 + 1].split(separator: "/")[1]) }
    }, train.output)
    XCTAssertGreaterThan(batchCount, 1)
    XCTAssertEqual(steps.count, 2 * batchCount, train.output)
    for line in steps {  // one count per hidden layer
      let spikes = try XCTUnwrap(line.split(separator: " ").last)
      XCTAssertEqual(spikes.split(separator: "/").compactMap { Int($0) }.count, 2, String(line))
    }
    XCTAssertEqual(try ModelFile.loadModel(URL(fileURLWithPath: model)).info["init_jitter"], .int(3))
  }

  func testUnknownRecipeIsAClearError() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let run = try ChildProcess.run(r4ncl, ["train", "--data", data, "--recipe", "fancy", "--out", data + "/m.h5"])
    XCTAssertNotEqual(run.status, 0)
    XCTAssertTrue(run.output.contains("training recipe 'fancy'"), run.output)
  }

  /// `r4ncl learn` refuses a misspelt method, a bad codec, an unwritable report folder, an unknown
  /// scenario, a knob of a method not in the run and --from-model without --out before it
  /// pretrains anything (each used to surface only after training, or never).
  func testLearnRefusesBadArgumentsBeforeTraining() throws {
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let cases: [([String], String, Bool)] = [  // arguments, message, argument error (with usage)
      (["--methods", "replay4ncl,replay4nlc"], "'replay4nlc' is not a method", true),
      (["--methods", "replay4ncl", "--set", "codec=zip"], "'codec' must be float32, raw", true),
      (["--methods", "replay4ncl", "--report", data + "/shd_train.h5/report"], "--report '\(data)/shd_train.h5/report': \(data)/shd_train.h5 is not a directory", true),
      (["--scenario", "bogus"], "--scenario must be 19+1, multi or sample, got 'bogus'", true),
      (["--methods", "naive,replay4ncl", "--set", "naive.epochs=1", "--set", "foo.epochs=1"],
       "--set 'foo.epochs=1': 'foo' is not a method of this run (naive, replay4ncl)", true),
      (["--from-model", data + "/model.h5", "--new-class", "19"], "--from-model needs --out", true),
    ]
    for (arguments, message, usage) in cases {
      let output = try assertR4nclFails(["learn", "--data", data] + arguments, saying: message, usage: usage)
      XCTAssertFalse(output.contains("pretraining"), output)
    }
  }

  /// Knobs of the run's methods are taken (one method with --from-model, several without); a new
  /// class the model or data does not have is one line, found once the model or data is read.
  func testLearnTakesTheRunsMethodKnobsAndRefusesAMissingClass() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let model = data + "/model.h5"
    let train = try ChildProcess.run(r4ncl, ["train", "--data", data, "--epochs", "1", "--hidden", "16", "--out", model])
    XCTAssertEqual(train.status, 0, train.output)
    let fromModel = ["learn", "--from-model", model, "--data", data, "--out", data + "/learned.h5"]
    try assertR4nclFails(
      fromModel + ["--new-class", "25", "--set", "replay4ncl.epochs=1"], saying: "readout row in 0..<20", usage: false)
    // With --from-model the default methods are replay4ncl alone: joint's knob would set nothing.
    try assertR4nclFails(
      fromModel + ["--new-class", "19", "--set", "joint.epochs=1"], saying: "'joint' is not a method of this run (replay4ncl)", usage: true)
    let output = try assertR4nclFails(
      ["learn", "--data", data, "--methods", "naive,replay4ncl", "--set", "naive.epochs=1", "--set", "replay4ncl.epochs=1",
       "--new-class", "25"], saying: "--new-class must be a class id in 0..<20", usage: false)
    XCTAssertFalse(output.contains("pretraining"), output)
  }

  /// Too few speakers for --validation-speakers: one warning that says why, and the recipe line
  /// no longer claims a selection on held-out speakers.
  func testTooFewSpeakersForValidationWarnsOnceAndKeepsTheLastEpoch() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let train = try ChildProcess.run(
      r4ncl, ["train", "--data", data, "--epochs", "1", "--hidden", "16", "--validation-speakers", "25", "--out", data + "/m.h5"])
    XCTAssertEqual(train.status, 0, train.output)
    XCTAssertTrue(train.output.contains("which has 2: no validation split, keeping the last epoch"), train.output)
    XCTAssertFalse(train.output.contains("held-out speakers"), train.output)
    XCTAssertTrue(train.output.contains(", last epoch"), train.output)
  }

  /// The help's paragraphs are wrapped by argument-parser, not broken where the source is.
  func testTrainHelpWrapsWholeParagraphs() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let help = try ChildProcess.run(r4ncl, ["train", "--help"], environment: ["COLUMNS": "400"])
    XCTAssertEqual(help.status, 0, help.output)
    XCTAssertTrue(help.output.contains("epochs and augmentation; the other options override single settings. Built-in"), help.output)
    XCTAssertTrue(help.output.contains("the best epoch on them is kept; --test evaluates"), help.output)
  }
}
