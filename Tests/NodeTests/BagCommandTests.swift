import Foundation
import Learner
import Proto
import Storage
import XCTest

@testable import Node

/// `r4ncl bag record | info | play` as processes against sockets of the test.
final class BagCommandTests: ToolProcessTestCase {
  /// A prediction-topic message, a spike sample and bytes on a topic no one knows.
  let sent: [(topic: String, payload: [UInt8])] = [
    ("bag/status", [8, 1]),
    ("bag/spikes/mic", Array(0..<100)),
    ("other/raw", [0xde, 0xad]),
    ("bag/status", [8, 2]),
  ]

  func testRecordKeepsEveryTopicAndInfoSummarisesIt() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let publisher = try ZMQSocket(try ZMQContext(), type: .xpub)
    try publisher.bind("tcp://127.0.0.1:*")
    let output = directory + "/run.h5"
    let record = try ChildProcess(r4ncl, ["bag", "record", output, "--connect", try publisher.lastEndpoint, "--count", "4", "--duration", "30"])
    var poller = ZMQPoller()
    poller.add(publisher)
    XCTAssertTrue(try poller.poll(timeoutMilliseconds: 10_000)[0], "the recorder never subscribed")
    // Topics an HDF5 string cannot hold (a NUL byte) or too long to keep per message are skipped.
    try publisher.send(topic: "bag/status\u{0}junk", payload: [1])
    try publisher.send(topic: "bag/" + String(repeating: "t", count: 5000), payload: [1])
    for message in sent { try publisher.send(topic: message.topic, payload: message.payload) }
    XCTAssertEqual(record.wait(timeout: 30), 0, record.text)
    XCTAssertTrue(record.text.contains("bag record: wrote 4 messages on 3 topics"), record.text)
    XCTAssertTrue(record.text.contains("2 skipped: topic longer than 4096 bytes or with a NUL byte"), record.text)

    let bag = try BagFile.read(URL(fileURLWithPath: output))
    XCTAssertEqual(bag.messages.map(\.topic), sent.map(\.topic))
    XCTAssertEqual(bag.messages.map(\.payload), sent.map(\.payload))
    XCTAssertEqual(bag.types, ["bag/status": "r4ncl.v1.NodeStatus", "bag/spikes/mic": "r4ncl.v1.SpikeSample", "other/raw": ""])
    XCTAssertEqual(bag.messages.map(\.timeNs), bag.messages.map(\.timeNs).sorted())

    let info = try ChildProcess.run(r4ncl, ["bag", "info", output], timeout: 30)
    XCTAssertEqual(info.status, 0, info.output)
    XCTAssertTrue(info.output.contains("messages: 4"), info.output)
    XCTAssertTrue(info.output.contains("bag/status | r4ncl.v1.NodeStatus | 2 | 4 |"), info.output)
    XCTAssertTrue(info.output.contains("other/raw | (unknown) | 1 | 2 |"), info.output)
  }

  func testPlayPublishesTheMessagesInOrderNoEarlierThanRecordedOverRate() throws {
    let start: Int64 = 1_700_000_000_000_000_000
    let bag = Bag(
      messages: sent.enumerated().map { BagMessage(topic: $0.element.topic, timeNs: start + Int64($0.offset) * 200_000_000, payload: $0.element.payload) },
      types: [:])
    let file = directory + "/play.h5"
    try BagFile.write(bag, to: URL(fileURLWithPath: file))
    let subscriber = try ZMQSocket(try ZMQContext(), type: .sub)
    try subscriber.bind("tcp://127.0.0.1:*")
    try subscriber.subscribe("bag/")
    try subscriber.setReceiveTimeout(20_000)

    let play = try ChildProcess(try XCTUnwrap(Paths.r4ncl), [
      "bag", "play", file, "--connect", try subscriber.lastEndpoint, "--rate", "2", "--wait-subscriber", "10",
    ])
    var received: [(topic: String, payload: [UInt8], at: Double)] = []
    while received.count < 3, let frames = try subscriber.receive() {
      received.append((String(decoding: frames[0], as: UTF8.self), frames[1], Clock.monotonicSeconds()))
    }
    XCTAssertEqual(play.wait(timeout: 30), 0, play.text)
    let expected = sent.filter { $0.topic.hasPrefix("bag/") }
    XCTAssertEqual(received.map(\.topic), expected.map(\.topic))
    XCTAssertEqual(received.map(\.payload), expected.map(\.payload))
    // Recorded 600 ms apart (messages 0 and 3) at twice the speed: never less than 300 ms apart.
    XCTAssertGreaterThanOrEqual(received[2].at - received[0].at, 0.29)
    XCTAssertTrue(play.text.contains("bag play: published 4 of 4 messages on 3 topics (0 dropped"), play.text)
  }

  /// A recorded gap of a day (or an absurd timestamp) is skipped, not waited out: bag play of
  /// such a file used to sleep for years.
  func testPlaySkipsEmptyGaps() throws {
    let start: Int64 = 1_700_000_000_000_000_000
    let times: [Int64] = [start, start + 100_000_000, start + 86_400_000_000_000, .max]
    let bag = Bag(messages: zip(sent, times).map { BagMessage(topic: $0.0.topic, timeNs: $0.1, payload: $0.0.payload) }, types: [:])
    let file = directory + "/gaps.h5"
    try BagFile.write(bag, to: URL(fileURLWithPath: file))
    let play = try ChildProcess.run(
      try XCTUnwrap(Paths.r4ncl), ["bag", "play", file, "--connect", "@tcp://127.0.0.1:*", "--wait-subscriber", "0", "--skip-empty", "1"],
      timeout: 30)
    XCTAssertEqual(play.status, 0, play.output)
    XCTAssertTrue(play.output.contains("published 4 of 4 messages on 3 topics (0 dropped at the high-water mark), skipped 2 empty gaps"), play.output)
    // As fast as possible, nothing is waited for and nothing is reported skipped.
    let fast = try ChildProcess.run(
      try XCTUnwrap(Paths.r4ncl), ["bag", "play", file, "--connect", "@tcp://127.0.0.1:*", "--wait-subscriber", "0", "--rate", "0"],
      timeout: 30)
    XCTAssertEqual(fast.status, 0, fast.output)
    XCTAssertTrue(fast.output.contains("published 4 of 4 messages") && !fast.output.contains("skipped"), fast.output)
  }

  func testRecordWritesNothingWhenNothingArrivesAndInfoRefusesANonBag() throws {
    let silent = try ZMQSocket(try ZMQContext(), type: .xpub)
    try silent.bind("tcp://127.0.0.1:*")
    let output = directory + "/empty.h5"
    _ = try assertR4nclFails(
      ["bag", "record", output, "--connect", try silent.lastEndpoint, "--duration", "0.5"],
      saying: "nothing arrived on \(try silent.lastEndpoint) (topics all); \(output) not written", usage: false)
    XCTAssertFalse(FileManager.default.fileExists(atPath: output))

    let shd = directory + "/samples.h5"
    try SHDFile.write(SpikeDataset(samples: [Synthetic.sample(class: 0, seed: 1)], classNames: ["zero"]), to: URL(fileURLWithPath: shd))
    _ = try assertR4nclFails(["bag", "info", shd], saying: "\(shd): not an r4ncl bag", usage: false)
  }

  /// examples/python/bag_dump.py reads a bag with h5py and decodes each message by its topic's type.
  func testThePythonBagDumpDecodesMessagesByType() throws {
    let (python, generated) = try pythonWithGeneratedModules(in: directory, importing: "h5py, google.protobuf")

    var prediction = R4ncl_V1_Prediction()
    prediction.sensor = "mic"
    prediction.className = "fox"
    prediction.classID = 19
    let sample = Synthetic.wire(Synthetic.sample(class: 1, seed: 3), sensor: "mic", sequence: 7)
    let start: Int64 = 1_700_000_000_000_000_000
    let bag = Bag(
      messages: [
        BagMessage(topic: "d/spikes/mic", timeNs: start, payload: try sample.serializedBytes()),
        BagMessage(topic: "d/pred", timeNs: start + 1_500_000_000, payload: try prediction.serializedBytes()),
        BagMessage(topic: "d/raw", timeNs: start + 2_000_000_000, payload: [1, 2, 3]),
        BagMessage(topic: "d/pred", timeNs: start + 2_500_000_000, payload: [0xff, 0xff, 0xff]),
      ],
      types: ["d/spikes/mic": R4ncl_V1_SpikeSample.protoMessageName, "d/pred": R4ncl_V1_Prediction.protoMessageName, "d/raw": ""])
    let file = directory + "/dump.h5"
    try BagFile.write(bag, to: URL(fileURLWithPath: file))
    let run = try ChildProcess.run(
      python, [Paths.root + "/examples/python/bag_dump.py", file], environment: ["R4NCL_PY_GEN": generated], timeout: 60)
    XCTAssertEqual(run.status, 0, run.output)
    let lines = run.output.split(separator: "\n").map(String.init)
    XCTAssertEqual(lines.count, 4, run.output)
    XCTAssertTrue(lines[0].hasPrefix("    0.000 d/spikes/mic {"), lines[0])
    XCTAssertTrue(lines[0].hasSuffix("(\(sample.times.count) events)"), lines[0])
    XCTAssertEqual(lines[1], #"    1.500 d/pred {"sensor": "mic", "classId": 19, "className": "fox"}"#)
    XCTAssertEqual(lines[2], "    2.000 d/raw <3 bytes, unknown type>")
    XCTAssertEqual(lines[3], "    2.500 d/pred <3 bytes, not a valid r4ncl.v1.Prediction>", "a bag keeps what arrived, valid or not")
  }
}
