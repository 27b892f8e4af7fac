import Foundation
import XCTest
@testable import Cochlea

/// espeak-ng speech, speakers and parallel synthesis. Skipped when espeak-ng is not installed.
final class SpeechTests: XCTestCase {
  func espeak() throws -> Espeak {
    do { return try Espeak() } catch { throw XCTSkip("espeak-ng not installed: \(error)") }
  }

  func testMissingEspeakGivesAClearError() {
    XCTAssertThrowsError(try Espeak(path: "/nonexistent/espeak-ng")) {
      XCTAssertEqual($0 as? SpeechError, .espeakMissing(searched: "/nonexistent/espeak-ng"))
      XCTAssertTrue("\($0)".contains("apt-get install espeak-ng"))
    }
  }

  func testSpeakersAreDisjointAndPlanIsBalanced() {
    let plan = SynthesisPlan(trainCount: 80, testCount: 40, trainSpeakers: 4, testSpeakers: 2, seed: 5)
    let trainIDs = Set(plan.train.map(\.speaker)), testIDs = Set(plan.test.map(\.speaker))
    XCTAssertEqual(trainIDs, [0, 1, 2, 3])
    XCTAssertEqual(testIDs, [4, 5])
    let variants = plan.speakers.map(\.variant)
    XCTAssertEqual(Set(variants).count, variants.count, "every speaker has its own voice variant")
    for label in 0..<20 { XCTAssertEqual(plan.train.filter { $0.label == label }.count, 4) }
    XCTAssertEqual(Set(plan.train.map(\.seed)).count, 80)
    let again = SynthesisPlan(trainCount: 80, testCount: 40, trainSpeakers: 4, testSpeakers: 2, seed: 5)
    XCTAssertEqual(again.train, plan.train)
    XCTAssertEqual(again.speakers, plan.speakers)
  }

  func testUtterancesAreDeterministicAndGermanUmlautWorks() throws {
    let corpus = DigitCorpus(espeak: try espeak())
    let speaker = VoiceCatalog.speakers(trainCount: 1, testCount: 0, seed: 1)[0]
    let a = try corpus.utterance(label: 15, speaker: speaker, seed: 9)  // "fünf"
    let b = try corpus.utterance(label: 15, speaker: speaker, seed: 9)
    let c = try corpus.utterance(label: 15, speaker: speaker, seed: 10)
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, c)
    // At least 0.1 s of speech plus 0.1-0.6 s of padding, at 48 kHz.
    XCTAssertGreaterThan(a.count, Int(0.2 * 48_000))
    XCTAssertLessThan(a.count, Int(2.0 * 48_000))
  }

  func testParallelSynthesisDoesNotDependOnThreadCount() throws {
    let synthesizer = SpeechSynthesizer(corpus: DigitCorpus(espeak: try espeak()))
    let plan = SynthesisPlan(trainCount: 4, testCount: 0, trainSpeakers: 2, testSpeakers: 1, seed: 8)
    let one = try synthesizer.clips(plan.train, speakers: plan.speakers, threads: 1)
    let three = try synthesizer.clips(plan.train, speakers: plan.speakers, threads: 3)
    XCTAssertEqual(one.map(\.spikes), three.map(\.spikes))
    XCTAssertEqual(one.map(\.label), [0, 1, 2, 3])
    XCTAssertTrue(one.allSatisfy { $0.spikes.count > 500 }, "speech should drive the cochlea: \(one.map(\.spikes.count))")
  }
}
