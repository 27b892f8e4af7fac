import Foundation
import Learner

/// The result of `r4ncl eval`, printable as aligned tables or as JSON.
struct EvalReport: Encodable {
  /// One class's line of the report.
  struct ClassResult: Encodable {
    var id: Int
    var name: String
    var samples: Int
    /// nil when the class has no samples.
    var accuracy: Double?
  }

  /// One speaker's line of the report (SHD test speakers are unseen in training).
  struct SpeakerResult: Encodable {
    var speaker: Int
    var samples: Int
    var accuracy: Double
  }

  var model: String
  var data: String
  var classes: String
  /// The readout rows predictions were chosen among; nil for every row.
  var knownClasses: [Int]?
  var samples: Int
  var accuracy: Double
  var loss: Double
  var perClass: [ClassResult]
  var perSpeaker: [SpeakerResult]
  /// `confusion[true][predicted]`.
  var confusion: [[Int]]
  var readSeconds: Double
  var evalSeconds: Double

  init(
    model: String, data: String, classes: String, knownClasses: [Int]? = nil, evaluation: Evaluation, classNames: [String],
    speakers: [Int?] = [], readSeconds: Double, evalSeconds: Double
  ) {
    self.model = model
    self.data = data
    self.classes = classes
    self.knownClasses = knownClasses
    samples = evaluation.count
    accuracy = evaluation.accuracy
    loss = Double(evaluation.meanLoss)
    let perClassAccuracy = evaluation.perClassAccuracy
    perClass = evaluation.confusion.enumerated().map { k, row in
      ClassResult(id: k, name: classNames[k], samples: row.reduce(0, +), accuracy: perClassAccuracy[k])
    }
    confusion = evaluation.confusion
    var bySpeaker: [Int: (samples: Int, correct: Int)] = [:]
    for (i, speaker) in speakers.enumerated() where i < evaluation.predictions.count {
      guard let speaker else { continue }
      var entry = bySpeaker[speaker] ?? (0, 0)
      entry.samples += 1
      if evaluation.predictions[i] == evaluation.labels[i] { entry.correct += 1 }
      bySpeaker[speaker] = entry
    }
    perSpeaker = bySpeaker.keys.sorted().map {
      SpeakerResult(speaker: $0, samples: bySpeaker[$0]!.samples, accuracy: Double(bySpeaker[$0]!.correct) / Double(bySpeaker[$0]!.samples))
    }
    self.readSeconds = readSeconds
    self.evalSeconds = evalSeconds
  }

  enum CodingKeys: String, CodingKey {
    case model, data, classes, samples, accuracy, loss, confusion
    case knownClasses = "known_classes", perClass = "per_class", perSpeaker = "per_speaker", readSeconds = "read_seconds", evalSeconds = "eval_seconds"
  }

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  func text() -> String {
    var lines = [
      "model \(model) on \(data) (classes \(classes)\(knownClasses.map { "; predicting among \(ClassSelection.summary($0))" } ?? "")): \(samples) samples",
      "top-1 accuracy \(percent(accuracy))  (loss \(String(format: "%.4f", loss)); read \(String(format: "%.2f", readSeconds)) s, "
        + "eval \(String(format: "%.2f", evalSeconds)) s)",
      "",
      "per class:",
    ]
    let width = max(5, perClass.map(\.name.count).max() ?? 5)
    for result in perClass where result.samples > 0 {
      let name = result.name.padding(toLength: width, withPad: " ", startingAt: 0)
      lines.append(String(format: "  %2d %@ %5d samples  %@", result.id, name, result.samples, percent(result.accuracy ?? 0)))
    }
    if !perSpeaker.isEmpty {
      lines.append("")
      lines.append("per speaker:")
      for result in perSpeaker {
        lines.append(String(format: "  speaker %3d %5d samples  %@", result.speaker, result.samples, percent(result.accuracy)))
      }
    }
    lines.append("")
    lines.append("confusion matrix (rows = true class, columns = predicted):")
    let cell = max(3, String(confusion.flatMap { $0 }.max() ?? 0).count + 1)
    func pad(_ s: String) -> String { String(repeating: " ", count: max(0, cell - s.count)) + s }
    lines.append("    " + confusion.indices.map { pad(String($0)) }.joined())
    for (k, row) in confusion.enumerated() {
      lines.append(pad(String(k)) + " " + row.map { pad($0 == 0 ? "." : String($0)) }.joined())
    }
    return lines.joined(separator: "\n")
  }
}
