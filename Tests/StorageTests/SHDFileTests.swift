import Learner
import XCTest

@testable import Storage

final class SHDFileTests: XCTestCase {
  func testSyntheticDatasetRoundTripsExactlyWithMetadata() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("shd_train.h5")
    var generator = SyntheticSpikes()
    generator.classCount = 3
    generator.samplesPerClass = 4
    let dataset = generator.make()
    let metadata = SHDMetadata(
      attributes: ["seed": .int(1), "split": .string("train"), "fs": .double(24000)],
      extra: [
        "meta_info/age": .uint16([30, 40, 50]), "meta_info/body_height": .float64([1.7, 1.8, 1.6]),
        "meta_info/gender": .strings(["female", "male", "male"]),
      ])
    try SHDFile.write(dataset, to: url, metadata: metadata)
    let (read, readMetadata) = try SHDFile.readWithMetadata(url)
    XCTAssertEqual(read, dataset)
    XCTAssertEqual(readMetadata, metadata)
    XCTAssertEqual(read.classNames, ["c0", "c1", "c2"])
    XCTAssertEqual(read.samples.map(\.label), (0..<12).map { $0 % 3 })
    // No temporary file is left next to the result.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path), ["shd_train.h5"])
  }

  func testTimesAreStoredAsFloat16AndSamplesWithoutSpeakersOmitTheColumn() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("t.h5")
    let dataset = SpikeDataset(
      samples: [
        SpikeSample(times: [0.1, 0.2001, 1.3], units: [0, 699, 5], label: 1),
        SpikeSample(times: [], units: [], label: 0),
      ], classNames: ["a", "b"])
    try SHDFile.write(dataset, to: url)
    let read = try SHDFile.read(url)
    XCTAssertEqual(read.samples[0].times, [0.1, 0.2001, 1.3].map(Float16Bits.round))
    XCTAssertNotEqual(read.samples[0].times[1], 0.2001)  // float16 keeps ~3 digits
    XCTAssertEqual(read.samples[0].units, [0, 699, 5])
    XCTAssertEqual(read.samples[1].eventCount, 0)
    XCTAssertNil(read.samples[0].speaker)
    XCTAssertFalse(try HDF5File.open(url).contains("extra/speaker"))
  }

  func testH5pyReadsWhatWeWrite() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("shd.h5")
    let dataset = SyntheticSpikes().make()
    try SHDFile.write(dataset, to: url, metadata: SHDMetadata(attributes: ["seed": .int(9)], extra: ["meta_info/age": .uint16([7, 8, 9])]))
    let script = """
      import sys, h5py, numpy as np
      f = h5py.File(sys.argv[1], 'r')
      t, u = f['spikes/times'], f['spikes/units']
      assert t.dtype.metadata['vlen'] == np.dtype('<f2'), t.dtype
      assert u.dtype.metadata['vlen'] == np.dtype('<u2'), u.dtype
      assert f['labels'].dtype == np.dtype('<u2') and f['extra/speaker'].dtype == np.dtype('<u2')
      assert f['extra/keys'].dtype.kind == 'S'
      assert int(f.attrs['seed']) == 9 and list(f['extra/meta_info/age'][:]) == [7, 8, 9]
      print(len(t), sum(len(r) for r in t[:]), repr(sum(float(x) for x in t[0])),
            sum(int(x) for r in u[:] for x in r), [int(x) for x in f['labels'][:5]],
            [int(x) for x in f['extra/speaker'][:5]], b','.join(f['extra/keys'][:]).decode())
      """
    let result = try runPython(script, [url.path])
    XCTAssertEqual(result.status, 0, result.err)
    let fields = result.out.split(separator: " ", maxSplits: 3).map(String.init)
    XCTAssertEqual(Int(fields[0]), dataset.count)
    XCTAssertEqual(Int(fields[1]), dataset.samples.reduce(0) { $0 + $1.eventCount })
    XCTAssertEqual(Double(fields[2])!, dataset.samples[0].times.reduce(0) { $0 + Double($1) }, accuracy: 1e-9)
    let unitSum = dataset.samples.reduce(0) { $0 + $1.units.reduce(0) { $0 + Int($1) } }
    XCTAssertTrue(fields[3].hasPrefix("\(unitSum) "), fields[3])
    let labels = dataset.samples.prefix(5).map { $0.label! }
    let speakers = dataset.samples.prefix(5).map { $0.speaker! }
    XCTAssertTrue(result.out.contains("\(labels) \(speakers) "), result.out)
    XCTAssertTrue(result.out.hasSuffix("c0,c1,c2,c3\n"), result.out)
  }

  func testWeReadWhatH5pyWritesWithVariableLengthKeys() throws {
    try requireH5py()
    let url = try makeTemporaryDirectory(self).appendingPathComponent("py.h5")
    let script = """
      import sys, h5py, numpy as np
      with h5py.File(sys.argv[1], 'w') as f:
          t = f.create_dataset('spikes/times', (2,), dtype=h5py.vlen_dtype(np.float16))
          u = f.create_dataset('spikes/units', (2,), dtype=h5py.vlen_dtype(np.uint16))
          t[0] = np.array([0.5, 0.25, 1.0], dtype=np.float16); t[1] = np.array([0.001], dtype=np.float16)
          u[0] = np.array([3, 699, 0], dtype=np.uint16); u[1] = np.array([42], dtype=np.uint16)
          f['labels'] = np.array([1, 0], dtype=np.uint16)
          f.create_dataset('extra/keys', data=['null', 'fünf'], dtype=h5py.string_dtype())
          f['extra/speaker'] = np.array([4, 5], dtype=np.uint16)
          f['extra/meta_info/body_height'] = np.array([1.5, 1.75])
          f.attrs['note'] = 'hi'
          f.attrs['fs'] = np.int64(24000)
      """
    let result = try runPython(script, [url.path])
    XCTAssertEqual(result.status, 0, result.err)
    let (dataset, metadata) = try SHDFile.readWithMetadata(url)
    XCTAssertEqual(dataset.classNames, ["null", "fünf"])
    XCTAssertEqual(dataset.samples[0].times, [0.5, 0.25, 1.0])
    XCTAssertEqual(dataset.samples[1].times, [Float16Bits.round(0.001)])
    XCTAssertEqual(dataset.samples[0].units, [3, 699, 0])
    XCTAssertEqual(dataset.samples.map(\.label), [1, 0])
    XCTAssertEqual(dataset.samples.map(\.speaker), [4, 5])
    XCTAssertEqual(metadata.extra, ["meta_info/body_height": .float64([1.5, 1.75])])
    XCTAssertEqual(metadata.attributes, ["note": .string("hi"), "fs": .int(24000)])
  }
}
