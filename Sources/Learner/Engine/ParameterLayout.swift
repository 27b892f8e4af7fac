/// Where each named parameter sits: canonical index of W_l, V_l (or nil) and Wout, with shapes.
struct ParameterLayout: Equatable {
  let sizes: [Int]
  let recurrent: [Bool]
  let wIndex: [Int]
  let vIndex: [Int?]
  let outIndex: Int
  let shapes: [(rows: Int, cols: Int)]
  let names: [String]

  init(config: NetworkConfig) {
    sizes = config.sizes
    recurrent = config.recurrent
    var w: [Int] = []
    var v: [Int?] = []
    var shapes: [(Int, Int)] = []
    var names: [String] = []
    for l in 0..<config.hiddenLayerCount {
      w.append(shapes.count)
      shapes.append((sizes[l], sizes[l + 1]))
      names.append("W\(l + 1)")
      if recurrent[l] {
        v.append(shapes.count)
        shapes.append((sizes[l + 1], sizes[l + 1]))
        names.append("V\(l + 1)")
      } else {
        v.append(nil)
      }
    }
    outIndex = shapes.count
    shapes.append((sizes[sizes.count - 2], sizes[sizes.count - 1]))
    names.append("Wout")
    wIndex = w
    vIndex = v
    self.shapes = shapes
    self.names = names
  }

  var hiddenCount: Int { sizes.count - 2 }
  var count: Int { shapes.count }
  func width(_ layer: Int) -> Int { sizes[layer + 1] }
  var classCount: Int { sizes[sizes.count - 1] }

  static func == (a: ParameterLayout, b: ParameterLayout) -> Bool {
    a.sizes == b.sizes && a.recurrent == b.recurrent
  }
}

/// Read-only pointers to a network's weights for the duration of one batch.
struct WeightPointers {
  var w: [UnsafePointer<Float>]
  var v: [UnsafePointer<Float>?]
  var out: UnsafePointer<Float>
}

extension Network {
  /// Calls `body` with pointers into the weight arrays (valid only inside `body`).
  func withWeightPointers<R>(_ body: (WeightPointers) throws -> R) rethrows -> R {
    let arrays = namedParameters.map { $0.matrix.values }
    var pointers: [UnsafePointer<Float>] = []
    pointers.reserveCapacity(arrays.count)
    func nest(_ i: Int) throws -> R {
      if i == arrays.count {
        var w: [UnsafePointer<Float>] = []
        var v: [UnsafePointer<Float>?] = []
        var k = 0
        for layer in layers {
          w.append(pointers[k])
          k += 1
          if layer.isRecurrent {
            v.append(pointers[k])
            k += 1
          } else {
            v.append(nil)
          }
        }
        return try body(WeightPointers(w: w, v: v, out: pointers[k]))
      }
      return try arrays[i].withUnsafeBufferPointer { buffer in
        pointers.append(buffer.baseAddress!)
        return try nest(i + 1)
      }
    }
    return try nest(0)
  }
}
