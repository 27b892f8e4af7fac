import Foundation
import Learner

extension CheckpointReader {
  /// The replay memory: offsets ascending from 0 to the byte count, one label per entry that
  /// is a readout row, a codec that exists, a depth within the network and a T within the
  /// engine's limits; when the settings say how the node learns (a replay method), the depth
  /// and T it learns at, since a learning job needs exactly those. Lengths are checked before
  /// each read: `bytes` is read only once the offsets say how long it is.
  func replay(network: Network, settingsJSON: String) throws -> CheckpointReplay {
    let g = try file.openGroup("replay")
    guard let codec = try g.attribute("codec")?.stringValue, let depth = try g.attribute("depth")?.intValue,
      let steps = try g.attribute("timesteps")?.intValue
    else { throw invalid("replay", "needs attributes codec, depth, timesteps") }
    do { _ = try LatentCodec.named(codec) } catch { throw invalid("replay@codec", "'\(codec.prefix(80))' is not a replay codec") }
    let layers = network.hiddenLayerCount
    guard (0...layers).contains(depth) else { throw invalid("replay@depth", "is \(depth), the network has \(layers) hidden layers") }
    guard (1...EngineLimits.timesteps).contains(steps) else {
      throw invalid("replay@timesteps", "is \(steps), must be in 1...\(EngineLimits.timesteps)")
    }
    if let settings = try? JSONDecoder().decode(ContinualSettings.self, from: Data(settingsJSON.utf8)), settings.strategy == .replay {
      guard depth == settings.depth, steps == settings.learnTimesteps else {
        throw invalid(
          "replay", "holds latents of depth \(depth), T \(steps) but the settings learn at depth \(settings.depth), T \(settings.learnTimesteps)")
      }
    }
    let rows = network.config.classCount
    let labels = try vector("replay/labels", expected: "one label per entry") { _ in true }.read(Int32.self)
    if let bad = labels.firstIndex(where: { !(0..<rows).contains(Int($0)) }) {
      throw invalid("replay/labels", "entry \(bad) has label \(labels[bad]), not a readout row in 0..<\(rows)")
    }
    let offsets = try vector("replay/offsets", expected: "\(labels.count + 1) offsets") { $0 == labels.count + 1 }.read(Int64.self)
    guard offsets.first == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
      throw invalid("replay/offsets", "must be \(labels.count + 1) offsets ascending from 0")
    }
    let end = offsets[offsets.count - 1]
    let bytes = try vector("replay/bytes", expected: "\(end) bytes (the last offset)") { Int64($0) == end }.read(UInt8.self)
    return CheckpointReplay(codec: codec, depth: depth, timesteps: steps, bytes: bytes, offsets: offsets, labels: labels)
  }
}
