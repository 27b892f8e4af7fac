import Foundation
import Learner
import Storage
import XCTest

/// `r4ncl export` and `r4ncl eval` take a model file and a checkpoint alike; a checkpoint's
/// eval predicts among the classes it knows.
final class NetworkFileCommandTests: XCTestCase {
  func testExportTakesATrainedModelAndNamesThePreprocessing() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    let model = data + "/model.h5"
    let train = try ChildProcess.run(r4ncl, ["train", "--data", data, "--epochs", "1", "--hidden", "8", "--validation-speakers", "0", "--out", model])
    XCTAssertEqual(train.status, 0, train.output)
    let export = try ChildProcess.run(r4ncl, ["export", "--model", model, "--nir", data + "/model.nir"])
    XCTAssertEqual(export.status, 0, export.output)
    XCTAssertTrue(export.output.contains("(from r4ncl-model)"), export.output)
    // The r4ncl recipe pools 700 channels by 4 and aligns onsets: the graph takes 700 channels.
    XCTAssertTrue(export.output.contains("input: 700 channels (summed in groups of 4"), export.output)
    XCTAssertTrue(export.output.contains("-quantile spike time"), export.output)
    XCTAssertTrue(FileManager.default.fileExists(atPath: data + "/model.nir"))

    let notANetwork = try ChildProcess.run(r4ncl, ["export", "--model", data + "/shd_test.h5", "--nir", data + "/x.nir"])
    XCTAssertNotEqual(notANetwork.status, 0)
    XCTAssertTrue(notANetwork.output.contains("not a network"), notANetwork.output)
  }

  func testEvalOfACheckpointPredictsAmongItsClasses() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl, "build the r4ncl product first")
    let data = try fixtureData()
    defer { try? FileManager.default.removeItem(atPath: data) }
    var network = try Network(config: NetworkConfig(sizes: [700, 8, 20], timesteps: 20, seed: 4))
    network.thresholds = [0.5]
    let checkpoint = data + "/model-v2.h5"
    try CheckpointHDF5.write(
      Checkpoint(phase: "learn", method: "replay4ncl", network: network, layerRates: [0.1], classNames: ["zero", "one", "neun"],
        classIDs: [0, 1, 19], modelVersion: 2), to: URL(fileURLWithPath: checkpoint))
    let predictions = data + "/p.jsonl"
    let eval = try ChildProcess.run(r4ncl, ["eval", "--model", checkpoint, "--data", data, "--predictions", predictions, "--json"])
    XCTAssertEqual(eval.status, 0, eval.output)
    let lines = try String(contentsOfFile: predictions, encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(lines.count, 20)
    let predicted = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["predicted"] as? Int }
    XCTAssertEqual(Set(predicted.compactMap { $0 }).subtracting([0, 1, 19]), [])
    // The accuracy table counts the same predictions: one test sample per class.
    let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(eval.output.utf8)) as? [String: Any])
    let correct = predicted.enumerated().filter { [0, 1, 19].contains($0.offset) && $0.element == $0.offset }.count
    XCTAssertEqual(try XCTUnwrap(json["accuracy"] as? Double), Double(correct) / 20, accuracy: 1e-9)
    XCTAssertEqual(json["known_classes"] as? [Int], [0, 1, 19])

    // --known-classes overrides the file's classes, with or without --predictions.
    let one = try ChildProcess.run(r4ncl, ["eval", "--model", checkpoint, "--data", data, "--known-classes", "1", "--json"])
    XCTAssertEqual(one.status, 0, one.output)
    let oneJSON = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(one.output.utf8)) as? [String: Any])
    XCTAssertEqual(try XCTUnwrap(oneJSON["accuracy"] as? Double), 1.0 / 20, accuracy: 1e-9)
  }
}
