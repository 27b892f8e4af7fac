import Foundation
import Learner
import Proto

/// A sample waiting for prediction.
struct PendingSample {
  var message: R4ncl_V1_SpikeSample
  var receivedTimeNs: Int64
}

/// A message for the I/O thread to publish.
struct OutgoingMessage {
  var topic: String
  var payload: [UInt8]
  /// True for predictions (counted as predicted when sent).
  var isPrediction: Bool
}

/// The predictor thread: takes validated samples from the bounded queue, classifies them with
/// the current model snapshot and hands `Prediction`s to the I/O thread through the outbox.
final class Predictor: @unchecked Sendable {
  let queue: BoundedQueue<PendingSample>
  let outbox: BoundedQueue<OutgoingMessage>
  let model: Protected<any ClassifierModel>
  let counters: Protected<NodeCounters>
  let wake: WakePipe
  let topic: String
  private let done = DispatchSemaphore(value: 0)

  init(queue: BoundedQueue<PendingSample>, outbox: BoundedQueue<OutgoingMessage>, model: Protected<any ClassifierModel>,
       counters: Protected<NodeCounters>, wake: WakePipe, topic: String) {
    self.queue = queue
    self.outbox = outbox
    self.model = model
    self.counters = counters
    self.wake = wake
    self.topic = topic
  }

  func start() {
    let thread = Thread { [self] in
      run()
      done.signal()
    }
    thread.name = "r4ncl-predictor"
    thread.start()
  }

  /// Waits until the queue was closed and emptied.
  func join() { done.wait() }

  private func run() {
    while let item = queue.pop() {
      let model = self.model.current
      let prediction = Predictor.predict(item, with: model)
      guard let payload: [UInt8] = try? prediction.serializedBytes() else { continue }
      if outbox.push(OutgoingMessage(topic: topic, payload: payload, isPrediction: true)) != nil {
        counters.withLock { $0.drop("outbox_full") }
      }
      wake.signal()
    }
  }

  /// The prediction of `model` for one sample: argmax over the classes the model knows.
  static func predict(_ item: PendingSample, with model: any ClassifierModel) -> R4ncl_V1_Prediction {
    let scores = model.scores(SpikeSample(item.message))
    var best = -1
    var bestScore = -Float.infinity
    for id in model.classes.ids where id < scores.count && (best < 0 || scores[id] > bestScore) {
      best = id
      bestScore = scores[id]
    }
    var prediction = R4ncl_V1_Prediction()
    prediction.sensor = item.message.sensor
    prediction.sequence = item.message.sequence
    prediction.classID = Int32(best)
    prediction.className = model.classes.name(of: best) ?? ""
    prediction.scores = scores
    prediction.modelVersion = model.version
    prediction.sampleSentTimeNs = item.message.sentTimeNs
    prediction.receivedTimeNs = item.receivedTimeNs
    let now = Clock.nowNanoseconds()
    prediction.publishedTimeNs = now
    prediction.latencyUs = UInt32(clamping: max(0, (now - item.receivedTimeNs) / 1000))
    if let label = item.message.optionalLabel { prediction.trueLabel = Int32(label) }
    return prediction
  }
}
