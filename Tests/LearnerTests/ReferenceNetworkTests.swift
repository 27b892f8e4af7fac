import XCTest
@testable import Learner

/// The engine against the PyTorch reference cases (reference README §1.7 float32 tolerances).
final class ReferenceNetworkTests: XCTestCase {
  let cases = ["case_a", "case_b", "case_c"]

  func testSpikesOutLogitsAndLossMatch() throws {
    for name in cases {
      let ref = try ReferenceCase(name)
      let net = try ref.network()
      let runner = NetworkRunner(threads: 1)
      let trace = try runner.trace(net, .binned(ref.binned))
      let refSpikes = (ref.json["hidden_spikes"] as! [Any]).map { ReferenceCase.flatten($0) }
      for l in 0..<refSpikes.count {
        XCTAssertEqual(trace.hiddenSpikes[l].map(Double.init), refSpikes[l], "\(name): spikes of hidden \(l + 1)")
      }
      let refOut = ref.flat("out")
      XCTAssertEqual(trace.out.count, refOut.count)
      for (a, b) in zip(trace.out, refOut) { XCTAssertEqual(Double(a), b, accuracy: 1e-5, "\(name): out") }
      for (a, b) in zip(trace.logits.values, ref.flat("logits")) { XCTAssertEqual(Double(a), b, accuracy: 1e-5, "\(name): logits") }
      XCTAssertEqual(trace.argmaxTime, ref.flat("logits_argmax_t").map { Int($0) }, "\(name): argmax times")
      let result = try runner.gradients(net, .binned(ref.binned))
      let refLoss = ref.json["loss"] as! Double
      XCTAssertEqual(Double(result.loss), refLoss, accuracy: 1e-6 * abs(refLoss), "\(name): loss")
    }
  }

  func testGradientsMatchWithinFloat32Tolerance() throws {
    // Thread counts, and spike products forced dense (GEMM), adaptive, and forced event-driven.
    for name in cases {
      for (threads, density) in [(1, 0.25), (2, 0.25), (1, 0.0), (2, 1.1)] {
        let ref = try ReferenceCase(name)
        let net = try ref.network()
        let runner = NetworkRunner(threads: threads)
        runner.sparseDensity = density
        let result = try runner.gradients(net, .binned(ref.binned))
        XCTAssertEqual(result.gradients.map(\.name), ref.names)
        for pname in ref.names {
          let g = try XCTUnwrap(result.gradient(pname))
          assertGradient(g, ref.matrix("grads", pname), "\(name) \(pname) threads \(threads) density \(density)")
        }
      }
    }
  }

  func testOneAdamaxAndAdamStepMatch() throws {
    for name in cases {
      let ref = try ReferenceCase(name)
      for kind in OptimizerKind.allCases {
        let group = kind == .adamax ? "adamax" : "adam"
        let opt = Optimizer(OptimizerSettings(kind: kind, learningRate: kind == .adamax ? 2e-3 : 1e-3))
        for pname in ref.names {
          var values = ref.matrix("weights", pname).values
          let grad = ref.matrix("grads", pname).values
          opt.step(name: pname, values: &values, grad: grad)
          let expected = ref.nested(group, "params", pname).values
          let before = ref.matrix("weights", pname).values
          for i in values.indices {
            XCTAssertEqual(values[i], expected[i], accuracy: 1e-6, "\(name) \(group) \(pname)[\(i)]")
            if grad[i] == 0 { XCTAssertEqual(values[i], before[i], "\(name) \(group) \(pname)[\(i)] must not move") }
          }
        }
      }
    }
  }

  /// |g - g_ref| <= 1e-4 |g_ref| + 1e-5 g_max, and exact zeros stay exact zeros.
  func assertGradient(_ g: Matrix, _ ref: Matrix, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(g.rows, ref.rows, what, file: file, line: line)
    XCTAssertEqual(g.cols, ref.cols, what, file: file, line: line)
    let gmax = ref.values.map(abs).max() ?? 0
    var worst: Float = 0
    for i in ref.values.indices {
      let r = ref.values[i]
      if r == 0 {
        XCTAssertEqual(g.values[i], 0, "\(what)[\(i)] must be exactly 0", file: file, line: line)
      } else {
        worst = max(worst, abs(g.values[i] - r) / (1e-4 * abs(r) + 1e-5 * gmax))
      }
    }
    XCTAssertLessThanOrEqual(worst, 1, "\(what): worst error / tolerance", file: file, line: line)
  }
}
