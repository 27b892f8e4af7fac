import Foundation
import Proto

extension NodeRuntime {
  /// A configured peer's heartbeat (`<peer>/status`): logged once per peer so operators (and
  /// tests) see the link is up. The peer is the one the topic names, so what is remembered is
  /// bounded by `swarm.peers`; the node name and fingerprint inside are the peer's word and are
  /// logged escaped and cut short. One that does not decode is counted as a refused heartbeat.
  func receiveHeartbeat(_ payload: [UInt8], from peer: String, _ swarm: SwarmState) {
    let status: R4ncl_V1_NodeStatus
    switch WireDecoder.decode(R4ncl_V1_NodeStatus.self, from: payload, maxBytes: configuration.limits.maxPayloadBytes + 65536) {
    case .failure(let reason): return refuseShard(reason.rawValue, "heartbeat from \(peer) does not decode", input: "peer heartbeat")
    case .success(let decoded): status = decoded
    }
    guard swarm.heardPeers.insert(peer).inserted else { return }
    let ours = model.current.baseFingerprint
    let same = status.baseFingerprint == ours ? "same as ours" : "differs from ours \(ours)"
    let calls = status.node == peer ? "" : " (it calls itself \"\(WireText.line(status.node))\")"
    logger.info(
      "swarm: peer \(peer) is up (heartbeat)\(calls), base fingerprint \(WireText.line(status.baseFingerprint)) (\(same))")
  }
}
