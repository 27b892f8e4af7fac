/// Everything one thread needs to run a slice of a batch forward and backward, allocated once
/// for a network shape, T and a slice capacity, then reused (no allocation per step or batch).
/// Layout is time-major `[T][B][N]` with B the slice's actual size.
final class Workspace {
  let layout: ParameterLayout
  let timesteps: Int
  let capacity: Int
  /// Per hidden layer: input currents h (forward), reused for dL/dh (backward).
  let currents: [FloatBuffer]
  /// Per hidden layer: spikes s.
  let spikes: [FloatBuffer]
  /// Per hidden layer: the spiking units per cell, for event-driven products.
  let spikeIndex: [SpikeIndex]
  /// Per hidden layer: surrogate derivative at mem - thr.
  let surrogates: [FloatBuffer]
  /// Per hidden layer: total dL/ds from above (readout or next layer), recurrence added in place.
  let spikeGrads: [FloatBuffer]
  /// Neuron state [B][N] (syn and mem forward; dL/dsyn and dL/dmem backward).
  let stateA: FloatBuffer
  let stateB: FloatBuffer
  /// Readout: s_L Wout per step (forward), reused for dL/d(s_L Wout) (backward).
  let readoutDrive: FloatBuffer
  /// out[0...T] `[T+1][B][C]`.
  let out: FloatBuffer
  let filter: FloatBuffer
  let carry: FloatBuffer
  let logits: FloatBuffer
  let logitGrads: FloatBuffer
  var argmax: [Int32]
  /// Dense latent input `[T][B][width]` when a batch starts at depth >= 1.
  var latentInput: FloatBuffer?
  var latentIndex: SpikeIndex?
  /// Whether `latentInput` holds the loaded batch (event-form latents fill it only on demand).
  var latentInputIsDense = false
  /// Units per step of the loaded latents.
  var latentWidth = 0
  /// Event CSR over (t, b) for binned input: entries of cell t*B+b are offsets[k]..<offsets[k+1]
  /// (the arrays only grow; `eventTotal` entries are in use).
  var eventOffsets: [Int32] = []
  var eventTotal = 0
  var eventChannels: [Int32] = []
  var eventCounts: [Float] = []
  /// The same events channel-major (for the W1 gradient).
  var channelOffsets: [Int32] = []
  var channelCells: [Int32] = []
  var channelCounts: [Float] = []
  /// Gradient per parameter (canonical order), valid where `computed[i]`.
  let grads: [FloatBuffer]
  var computed: [Bool]
  /// Sum over this slice of per-sample loss / total batch size.
  var loss: Double = 0
  var batch = 0

  init(layout: ParameterLayout, timesteps: Int, capacity: Int) {
    self.layout = layout
    self.timesteps = timesteps
    self.capacity = capacity
    let hidden = (0..<layout.hiddenCount).map { layout.width($0) }
    let cells = timesteps * capacity
    currents = hidden.map { FloatBuffer(count: cells * $0) }
    spikes = hidden.map { FloatBuffer(count: cells * $0) }
    surrogates = hidden.map { FloatBuffer(count: cells * $0) }
    spikeIndex = hidden.map { SpikeIndex(cells: cells, width: $0) }
    spikeGrads = hidden.map { FloatBuffer(count: cells * $0) }
    let widest = max(hidden.max() ?? 1, layout.classCount)
    stateA = FloatBuffer(count: capacity * widest)
    stateB = FloatBuffer(count: capacity * widest)
    let c = layout.classCount
    readoutDrive = FloatBuffer(count: cells * c)
    out = FloatBuffer(count: (timesteps + 1) * capacity * c)
    filter = FloatBuffer(count: capacity * c)
    carry = FloatBuffer(count: capacity * c)
    logits = FloatBuffer(count: capacity * c)
    logitGrads = FloatBuffer(count: capacity * c)
    argmax = [Int32](repeating: 0, count: capacity * c)
    grads = layout.shapes.map { FloatBuffer(count: $0.rows * $0.cols) }
    computed = [Bool](repeating: false, count: layout.count)
  }

  /// Spike products use the event-driven path below this fraction of active cells, GEMM above.
  var sparseDensity = 0.25

  /// Whether cells `lo ..< hi` of `index` (width n) are sparse enough for the event-driven path.
  @inline(__always)
  func isSparse(_ index: SpikeIndex, _ lo: Int, _ hi: Int, width n: Int) -> Bool {
    Double(index.activeCount(lo, hi)) < sparseDensity * Double((hi - lo) * n)
  }

  /// Bytes per sample of the per-sample tensors (all `[T][N]` buffers and spike indices).
  static func bytesPerSample(layout: ParameterLayout, timesteps T: Int) -> Int {
    let hidden = (0..<layout.hiddenCount).map { layout.width($0) }.reduce(0, +)
    let c = layout.classCount
    // currents, spikes, surrogates, spike gradients (Float32) and the spike index (Int32 units
    // + offsets) per hidden unit and step; readout drive and out per class.
    return 4 * (T * hidden * 5 + T + T * c + (T + 1) * c)
  }

  func fits(layout: ParameterLayout, timesteps: Int, batch: Int) -> Bool {
    self.layout == layout && self.timesteps == timesteps && batch <= capacity
  }
}
