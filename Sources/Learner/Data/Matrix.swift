/// A dense row-major Float32 matrix: the storage type of every weight and gradient.
public struct Matrix: Sendable, Equatable {
  public var rows: Int
  public var cols: Int
  /// Row-major values, `rows * cols` of them.
  public var values: [Float]

  public init(rows: Int, cols: Int, values: [Float]) {
    precondition(values.count == rows * cols, "Matrix \(rows)x\(cols) needs \(rows * cols) values, got \(values.count)")
    self.rows = rows
    self.cols = cols
    self.values = values
  }

  public init(rows: Int, cols: Int, repeating value: Float = 0) {
    self.init(rows: rows, cols: cols, values: [Float](repeating: value, count: rows * cols))
  }

  public subscript(row: Int, col: Int) -> Float {
    get { values[row * cols + col] }
    set { values[row * cols + col] = newValue }
  }
}
