import Foundation
@testable import Learner

/// A float64 "surrogate-linearised" forward of the network (reference README §1.6): around a base
/// point, every spike is `H(u0) + F(u) - F(u0)` with `F(u) = u / (k|u| + 1)`, the reset factor is
/// held at `1 - H(u0)` and each logit's argmax time is held, so its exact derivative equals the
/// surrogate gradient at the base. Central differences of it check the engine's BPTT.
struct LinearisedReference {
  let sizes: [Int]
  let recurrent: [Bool]
  let T: Int
  let alpha: Double
  let beta: Double
  let thresholds: [Double]
  let scale: Double
  /// Dense inputs per sample, `[T][Nin]`.
  let inputs: [[Double]]
  let labels: [Int]

  /// Base point: u0 = mem - thr per layer `[T][B][N]`, argmax time per `[B][C]`.
  struct Base {
    var u0: [[Double]]
    var argmax: [Int]
  }

  func F(_ u: Double) -> Double { u / (scale * abs(u) + 1) }

  /// Mean cross-entropy. With `base == nil` it runs the hard-threshold network and returns its base.
  func loss(_ params: [[Double]], base: Base?) -> (loss: Double, base: Base, spikes: [[Double]]) {
    let B = labels.count
    var k = 0
    var x = [Double](repeating: 0, count: T * B * sizes[0])
    for t in 0..<T {
      for b in 0..<B {
        for i in 0..<sizes[0] { x[(t * B + b) * sizes[0] + i] = inputs[b][t * sizes[0] + i] }
      }
    }
    var newBase = Base(u0: [], argmax: [])
    var allSpikes: [[Double]] = []
    for l in 0..<(sizes.count - 2) {
      let nin = sizes[l], n = sizes[l + 1]
      let w = params[k]
      k += 1
      let v: [Double]? = recurrent[l] ? params[k] : nil
      if recurrent[l] { k += 1 }
      var s = [Double](repeating: 0, count: T * B * n)
      var us = [Double](repeating: 0, count: T * B * n)
      var syn = [Double](repeating: 0, count: B * n), mem = syn
      for t in 0..<T {
        for b in 0..<B {
          for j in 0..<n {
            let idx = (t * B + b) * n + j
            let u = mem[b * n + j] - thresholds[l]
            us[idx] = u
            if let base = base {
              let u0 = base.u0[l][idx]
              s[idx] = (u0 > 0 ? 1 : 0) + F(u) - F(u0)
            } else {
              s[idx] = u > 0 ? 1 : 0
            }
          }
        }
        for b in 0..<B {
          for j in 0..<n {
            var h = 0.0
            for i in 0..<nin { h += x[(t * B + b) * nin + i] * w[i * n + j] }
            if let v = v, t > 0 {
              for i in 0..<n { h += s[((t - 1) * B + b) * n + i] * v[i * n + j] }
            }
            let idx = (t * B + b) * n + j
            let hard = base.map { $0.u0[l][idx] > 0 ? 1.0 : 0.0 } ?? s[idx]
            let y = syn[b * n + j]
            syn[b * n + j] = alpha * y + h
            mem[b * n + j] = (beta * mem[b * n + j] + y) * (1 - hard)
          }
        }
      }
      newBase.u0.append(us)
      allSpikes.append(s)
      x = s
    }
    let nl = sizes[sizes.count - 2], c = sizes.last!
    let wout = params[k]
    var flt = [Double](repeating: 0, count: B * c), out = flt
    var logits = [Double](repeating: 0, count: B * c)
    var argmax = [Int](repeating: 0, count: B * c)
    for t in 0..<T {
      for b in 0..<B {
        for j in 0..<c {
          var a = 0.0
          for i in 0..<nl { a += x[(t * B + b) * nl + i] * wout[i * c + j] }
          let o = beta * out[b * c + j] + flt[b * c + j]
          flt[b * c + j] = alpha * flt[b * c + j] + a
          out[b * c + j] = o
          if let base = base {
            if base.argmax[b * c + j] == t + 1 { logits[b * c + j] = o }
          } else if o > logits[b * c + j] {
            logits[b * c + j] = o
            argmax[b * c + j] = t + 1
          }
        }
      }
    }
    if let base = base { argmax = base.argmax }
    newBase.argmax = argmax
    var loss = 0.0
    for b in 0..<B {
      let row = logits[(b * c)..<((b + 1) * c)]
      let mx = row.max()!
      loss += mx + log(row.reduce(0) { $0 + exp($1 - mx) }) - logits[b * c + labels[b]]
    }
    return (loss / Double(B), newBase, allSpikes)
  }
}
