import Foundation
import XCTest
@testable import Learner

final class NetworkTests: XCTestCase {
  func testReferenceParameterNamesAndShapes() throws {
    let net = try Network(config: .reference(timesteps: 40))
    XCTAssertEqual(net.parameterNames, ["W1", "V1", "W2", "V2", "W3", "V3", "Wout"])
    let shapes = net.namedParameters.map { [$0.matrix.rows, $0.matrix.cols] }
    XCTAssertEqual(shapes, [[700, 200], [200, 200], [200, 100], [100, 100], [100, 50], [50, 50], [50, 20]])
  }

  func testInitIsDeterministicAndHasTheRightScale() throws {
    let a = try Network(config: .reference(seed: 3))
    let b = try Network(config: .reference(seed: 3))
    let c = try Network(config: .reference(seed: 4))
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a.layers[0].weight, c.layers[0].weight)
    for (name, m) in a.namedParameters {
      let n = Double(m.values.count)
      let mean = m.values.reduce(0.0) { $0 + Double($1) } / n
      let std = (m.values.reduce(0.0) { $0 + Double($1) * Double($1) } / n - mean * mean).squareRoot()
      let expected = 0.2 / Double(m.rows).squareRoot()
      XCTAssertEqual(std, expected, accuracy: 0.1 * expected, "\(name) std")
      XCTAssertEqual(mean, 0, accuracy: 5 * expected / n.squareRoot(), "\(name) mean")
    }
  }

  func testParameterSetAndErrors() throws {
    var net = try Network(config: NetworkConfig(sizes: [4, 3, 2], recurrent: [false]))
    XCTAssertEqual(net.parameterNames, ["W1", "Wout"])
    let m = Matrix(rows: 4, cols: 3, repeating: 0.5)
    try net.setParameter("W1", m)
    XCTAssertEqual(try net.parameter("W1"), m)
    XCTAssertThrowsError(try net.setParameter("V1", m)) { XCTAssertTrue("\($0)".contains("V1")) }
    XCTAssertThrowsError(try net.setParameter("Wout", m)) { XCTAssertTrue("\($0)".contains("3x2")) }
  }

  func testThresholdsPerLayer() throws {
    var net = try Network(config: NetworkConfig(sizes: [4, 3, 3, 2], thresholds: [1, 0.7]))
    XCTAssertEqual(net.thresholds, [1, 0.7])
    net.thresholds = [0.5, 0.6]
    XCTAssertEqual(net.layers[1].parameters.threshold, 0.6)
    XCTAssertEqual(net.config.thresholds, [0.5, 0.6])
  }

  func testConfigCodableWithDefaultsAndValidation() throws {
    let config = NetworkConfig(sizes: [10, 5, 3], timesteps: 40, thresholds: [0.8], seed: 9)
    let data = try JSONEncoder().encode(config)
    XCTAssertEqual(try JSONDecoder().decode(NetworkConfig.self, from: data), config)
    let partial = try JSONDecoder().decode(NetworkConfig.self, from: Data(#"{"timesteps": 40}"#.utf8))
    XCTAssertEqual(partial, NetworkConfig.reference(timesteps: 40))
    let bad = NetworkConfig(sizes: [10, 5, 3], recurrent: [true, true])
    XCTAssertThrowsError(try Network(config: bad)) { XCTAssertTrue("\($0)".contains("recurrent")) }
  }

  func testLIFDecaysFromTimeConstants() {
    let p = LIFParameters(tauSyn: 5e-3, tauMem: 10e-3, dt: 1e-3)
    XCTAssertEqual(p.alpha, Float(0.8187307530779818))
    XCTAssertEqual(p.beta, Float(0.9048374180359595))
    XCTAssertEqual(p.surrogate(0), 1)
    XCTAssertEqual(p.surrogate(0.01), 0.25)
  }
}
