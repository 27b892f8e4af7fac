import Foundation
import Storage
import XCTest

/// `r4ncl` commands as processes on the committed fixture: an argument error ends with the
/// subcommand's usage, a failure found while running is one line without usage, and the help
/// says what a command writes.
final class CommandErrorTests: XCTestCase {
  var data = ""

  override func setUpWithError() throws {
    guard Paths.r4ncl != nil else { throw XCTSkip("the r4ncl executable is not built (run swift build)") }
    data = try fixtureData()
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: data) }

  func testSweepArgumentErrorsShowTheSweepUsage() throws {
    try assertR4nclFails(["sweep", "--data", data], saying: "give exactly one of --timesteps and --depths", usage: true)
    try assertR4nclFails(["sweep", "--data", data, "--depths", "0,x"], saying: "sweep value 'x'", usage: true)
    try assertR4nclFails(
      ["sweep", "--data", data, "--depths", "0", "--set", "foo.depth=1"], saying: "'foo' is not a method of this run", usage: true)
  }

  /// The files `sweep --help` names for --report are the files a sweep writes.
  func testSweepWritesTheReportFilesItsHelpNames() throws {
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let help = try ChildProcess.run(r4ncl, ["sweep", "--help"], environment: ["COLUMNS": "400"])
    let line = try XCTUnwrap(help.output.split(separator: "\n").first { $0.hasPrefix("  --report <report>") }, help.output)
    let named = Set(line.split(whereSeparator: { $0 == " " || $0 == "," }).map {
      $0.trimmingCharacters(in: CharacterSet(charactersIn: ".:;()"))
    }.filter { $0.hasSuffix(".json") || $0.hasSuffix(".md") || $0.hasSuffix(".svg") })
    let report = data + "/sweep"
    let sweep = try ChildProcess.run(r4ncl, [
      "sweep", "--data", data, "--depths", "0", "--set", "hidden=16,12,8", "--pretrain-epochs", "1", "--epochs", "1",
      "--report", report,
    ])
    XCTAssertEqual(sweep.status, 0, sweep.output)
    let written = Set(try FileManager.default.contentsOfDirectory(atPath: report))
    XCTAssertEqual(named.subtracting(written), ["sweep-timesteps.svg"], line.description)  // a depth sweep
    XCTAssertTrue(written.isSubset(of: named), "\(written) vs \(line)")
  }

  /// Where a command writes is checked before its job starts (it used to fail after the
  /// training or the recording, or replace a device node with the output).
  func testOutputPathsAreCheckedBeforeTheJob() throws {
    let train = data + "/shd_train.h5"
    try assertR4nclFails(["train", "--data", data, "--out", data], saying: "--out '\(data)': is a directory; give a file name", usage: true)
    try assertR4nclFails(
      ["bag", "record", data + "/nowhere/x.h5", "--duration", "1"], saying: "<output> '\(data)/nowhere/x.h5': directory \(data)/nowhere does not exist",
      usage: true)
    try assertR4nclFails(
      ["export", "--model", train, "--nir", "/dev/null"], saying: "--nir '/dev/null': exists and is not a regular file (a device, FIFO or socket)",
      usage: true)
    try assertR4nclFails(["synth", "--out", train], saying: "--out '\(train)': is not a directory", usage: true)
  }

  func testLabelWithoutSamplesOfTheClassIsOneLine() throws {
    try assertR4nclFails(["label", data + "/shd_train.h5", "--class", "42"], saying: "has no samples of class 42", usage: false)
  }

  func testEarNamesAMissingFileAndResamplesOtherRates() throws {
    try assertR4nclFails(
      ["ear", "--wav", data + "/none.wav", "--out", data + "/x.h5"], saying: "none.wav: cannot read: no such file or directory", usage: false)
    try assertR4nclFails(["ear", "--stdin-pcm", "--rate", "44100", "--out", data + "/x.h5"], saying: "--rate must be 48000", usage: true)

    let wav = data + "/tone.wav", out = data + "/ear.h5"
    try Self.wav16(rate: 22_050, seconds: 1).write(to: URL(fileURLWithPath: wav))
    let r4ncl = try XCTUnwrap(Paths.r4ncl)
    let ear = try ChildProcess.run(r4ncl, ["ear", "--wav", wav, "--out", out, "--window-ms", "500", "--min-spikes", "0"])
    XCTAssertEqual(ear.status, 0, ear.output)
    XCTAssertTrue(ear.output.contains("from 22050 Hz to 48000 Hz"), ear.output)
    XCTAssertTrue(ear.output.contains("1.00 s of audio"), ear.output)
    XCTAssertEqual(try SHDFile.read(URL(fileURLWithPath: out)).count, 2)
  }

  func testNodeRefusesAnUnknownLogLevel() throws {
    try assertR4nclFails(["node", "--log-level", "verbose"], saying: "log level 'verbose' is not one of trace, debug", usage: true)
  }

  func testControlAndLabelRefuseTimeoutsAndNamesOutOfRange() throws {
    try assertR4nclFails(["control", "status", "--timeout", "4000"], saying: "--timeout must be in (0, 3600] seconds", usage: true)
    try assertR4nclFails(
      ["label", "x.h5", "--class", "1", "--teacher", String(repeating: "t", count: 300)],
      saying: "--teacher must have 1 to 256 bytes", usage: true)
  }

  func testRecordRefusesNoChannels() throws {
    try assertR4nclFails(["record", data + "/r.h5", "--channels", "0"], saying: "--channels must be in 1...65536", usage: true)
  }

  /// Durations must be finite seconds within `Clock.longestWait`, and sizes within the engine's
  /// limits: each of these used to trap converting the value (found by running every command's
  /// numeric options with inf, nan and 2^63 - 1).
  func testAbsurdDurationsAndSizesAreArgumentErrors() throws {
    try assertR4nclFails(["echo", "--timeout", "inf"], saying: "The value 'inf' is invalid for '--timeout <timeout>'", usage: true)
    try assertR4nclFails(["hz", "--window", "nan"], saying: "The value 'nan' is invalid for '--window <window>'", usage: true)
    try assertR4nclFails(["label", "x.h5", "--class", "1", "--delay", "1e300"], saying: "The value '1e300' is invalid", usage: true)
    try assertR4nclFails(["play", "x.h5", "--wait-subscriber", "1000001"], saying: "The value '1000001' is invalid", usage: true)
    let hz = try ChildProcess.run(try XCTUnwrap(Paths.r4ncl), ["hz", "--connect", "tcp://127.0.0.1:1", "--window", "0.2", "--duration", "0.3"])
    XCTAssertEqual(hz.status, 0, hz.output)  // fractional seconds still parse
    XCTAssertTrue(hz.output.contains("no messages"), hz.output)
    let huge = String(Int.max)
    try assertR4nclFails(
      ["train", "--data", data, "--out", data + "/m.h5", "--batch", huge], saying: "training recipe: batch must be in 1...65536", usage: true)
    try assertR4nclFails(
      ["train", "--data", data, "--out", data + "/m.h5", "--timesteps", huge], saying: "training recipe: timesteps must be in 1...100000", usage: true)
    try assertR4nclFails(["synth", "--out", data + "/s", "--train", huge], saying: "--train and --test must be in 0...1000000", usage: true)
    try assertR4nclFails(["soak", "--window", huge], saying: "--window must be <= 1000000", usage: true)
    try assertR4nclFails(["label", "x.h5", "--class", "1", "--id", "2147483648"], saying: "--id must be in 0...65535", usage: true)
    try assertR4nclFails(["train", "--data", data, "--out", data + "/m.h5", "--classes", "0-\(huge)"], saying: "class ids are 0...65535", usage: true)
    try assertR4nclFails(
      ["eval", "--model", data + "/shd_train.h5", "--data", data, "--known-classes", "3-1"],
      saying: "--known-classes '3-1': '3-1': the range ends below its start", usage: true)
    try assertR4nclFails(
      ["train", "--data", data, "--out", data + "/m.h5", "--augment", "channels=1e300"], saying: "channels must be a whole number", usage: true)
    try assertR4nclFails(
      ["train", "--data", data, "--out", data + "/m.h5", "--augment", "shift=1e308"], saying: "time_shift must be in 0...1000 seconds", usage: true)
    try assertR4nclFails(["synth", "--out", data + "/s", "--threads", huge], saying: "--threads must be in 1...1024", usage: true)
  }

  /// A mono 16-bit PCM WAV file of an amplitude-modulated 440 Hz tone.
  static func wav16(rate: Int, seconds: Double) -> Data {
    let samples = (0..<Int(Double(rate) * seconds)).map { i -> Int16 in
      let t = Double(i) / Double(rate)
      return Int16(8000 * sin(2 * Double.pi * 440 * t) * (1 + sin(2 * Double.pi * 3 * t)))
    }
    var d = Data()
    func put(_ text: String) { d.append(contentsOf: Array(text.utf8)) }
    func put32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { d.append(contentsOf: $0) } }
    func put16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
    put("RIFF"); put32(36 + 2 * samples.count); put("WAVE")
    put("fmt "); put32(16); put16(1); put16(1); put32(rate); put32(2 * rate); put16(2); put16(16)
    put("data"); put32(2 * samples.count)
    for s in samples { put16(Int(UInt16(bitPattern: s))) }
    return d
  }
}
