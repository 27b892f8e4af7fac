import XCTest
@testable import Learner

/// Spike latents in event form (issue 8, item 4): every codec decodes straight into them, the
/// engine takes them as layer d + 1's input, and results equal those of the dense latents.
final class SpikeLatentTests: XCTestCase {
  func network() throws -> Network { try spikingTestNetwork() }

  func latents(_ net: Network, depth: Int) throws -> [LatentSample] {
    let data = SyntheticSpikes.binned(count: 7, timesteps: 16, channels: 24, classes: 4, density: 0.25, seed: 11)
    return try NetworkRunner(threads: 1).latents(net, data, depth: depth)
  }

  func testEventFormRoundTripsTheDenseForm() throws {
    let lat = try latents(try network(), depth: 1)
    XCTAssertGreaterThan(lat.map(\.nonZeroCount).reduce(0, +), 0)
    for x in lat {
      let events = SpikeLatent(x)
      XCTAssertTrue(events.isWellFormed)
      XCTAssertEqual(events.spikeCount, x.nonZeroCount)
      XCTAssertEqual(events.dense, x)
    }
  }

  func testEveryCodecDecodesStraightIntoEventForm() throws {
    let lat = try latents(try network(), depth: 2)
    for name in ["raw", "bitpack", "events", "auto", "orpool:1", "orpool:2", "orpool:3"] {
      let codec = try replayCodec(named: name)
      for x in lat {
        let bytes = try codec.encode(x)
        XCTAssertEqual(try codec.decodeSpikes(bytes), SpikeLatent(try codec.decode(bytes)), name)
      }
    }
    // Through the continual phases' codec value too.
    let bound = try LatentCodec.named("events")
    XCTAssertEqual(try bound.decodeSpikes(try bound.encode(lat[0])), SpikeLatent(lat[0]))
  }

  func testEventFormRejectsCurrentsAndCorruptBytes() throws {
    let currents = LatentSample(depth: 0, timesteps: 2, width: 3, values: [0, 1.5, 0, 0, 0, -2], label: 1)
    XCTAssertThrowsError(try EventsCodec().decodeSpikes(try EventsCodec().encode(currents)))
    XCTAssertThrowsError(try AutoCodec().decodeSpikes(try AutoCodec().encode(currents)))
    let spikes = LatentSample(depth: 1, timesteps: 2, width: 3, values: [0, 1, 1, 1, 0, 0], label: 1)
    let bytes = try EventsCodec().encode(spikes)
    XCTAssertThrowsError(try EventsCodec().decodeSpikes(Array(bytes.dropLast())))
  }

  func testGradientsEqualTheDenseLatentsOnSparseAndDensePaths() throws {
    let net = try network()
    let mask = TrainableLayers.above(depth: 2, hiddenLayers: 3)
    let dense = try latents(net, depth: 2)
    let events = dense.map(SpikeLatent.init)
    for density in [0.0, 1.1] {  // 0: spike products as GEMMs (the dense form is rebuilt); 1.1: event-driven
      for threads in [1, 2] {
        let runner = NetworkRunner(threads: threads)
        runner.sparseDensity = density
        let a = try runner.gradients(net, .latents(dense), trainable: mask)
        let b = try runner.gradients(net, .spikes(events), trainable: mask)
        XCTAssertEqual(a.loss, b.loss, "density \(density), \(threads) thread(s)")
        XCTAssertEqual(a.logits, b.logits)
        XCTAssertEqual(a.gradients.map(\.name), ["W3", "V3", "Wout"])
        for ((name, x), (_, y)) in zip(a.gradients, b.gradients) {
          XCTAssertTrue(x.values.contains { $0 != 0 }, "\(name) must be non-zero for the test to mean anything")
          XCTAssertEqual(x.values, y.values, "\(name): the same spikes give the same bits")
        }
      }
    }
  }

  func testOneRunnerTakesLatentsOfEveryDepthInTurn() throws {
    // Layer d + 1's input index is sized by the latent width: a narrower depth first must not
    // leave it too small for a wider one.
    let net = try network()
    let runner = NetworkRunner(threads: 1)
    for depth in [2, 1, 2, 1] {
      let events = try latents(net, depth: depth).map(SpikeLatent.init)
      let mask = TrainableLayers.above(depth: depth, hiddenLayers: 3)
      let reused = try runner.gradients(net, .spikes(events), trainable: mask)
      let fresh = try NetworkRunner(threads: 1).gradients(net, .spikes(events), trainable: mask)
      XCTAssertEqual(reused.loss, fresh.loss, "depth \(depth)")
      for ((name, x), (_, y)) in zip(reused.gradients, fresh.gradients) { XCTAssertEqual(x.values, y.values, "depth \(depth) \(name)") }
    }
  }

  func testMalformedEventFormIsAnInputErrorNotACrash() throws {
    let net = try network()
    let width = net.latentWidth(depth: 2)
    var bad = SpikeLatent(try latents(net, depth: 2)[0])
    XCTAssertTrue(bad.isWellFormed)
    bad.units[bad.units.count - 1] = Int32(width)  // one unit id past the layer
    XCTAssertFalse(bad.isWellFormed, "changing the spikes of a converted latent must bring the check back")
    let descending = SpikeLatent(depth: 2, timesteps: 1, width: width, stepOffsets: [0, 2], units: [3, 1], label: 0)
    XCTAssertFalse(descending.isWellFormed)
    XCTAssertThrowsError(try NetworkRunner(threads: 1).gradients(net, .spikes([bad]), trainable: .above(depth: 2, hiddenLayers: 3))) {
      XCTAssertTrue("\($0)".contains("unit ids"), "\($0)")
    }
  }

  func testReplayStoreDecodesTheSameOnOneAndTwoThreads() throws {
    let width = try network().latentWidth(depth: 2)
    var rng = SeededRNG(seed: 3)
    var latents: [LatentSample] = []
    for _ in 0..<40 { latents.append(try LatentFactory.spikes(t: 16, n: width, density: 0.2, label: 1, depth: 2, rng: &rng)) }
    var store = ReplayStore(codec: try LatentCodec.named("auto"), depth: 2, timesteps: 16)
    try store.add(latents)
    let one = try store.decodedSpikes(ofClass: 1, threads: 1)
    let two = try store.decodedSpikes(ofClass: 1, threads: 2)
    XCTAssertEqual(one, latents.map(SpikeLatent.init))
    XCTAssertEqual(two, one)
    // A corrupt entry is an error on either path.
    var bad = ReplayStore(codec: try LatentCodec.named("events"), depth: 2, timesteps: 16)
    try bad.add(latents)
    bad.addEncoded([1, 2, 3], label: 1)
    XCTAssertThrowsError(try bad.decodedSpikes(ofClass: 1, threads: 2))
    XCTAssertThrowsError(try bad.decodedSpikes(ofClass: 1, threads: 1))
  }
}
