import Foundation
import XCTest

/// The committed synth fixture (made by `r4ncl synth --train 40 --test 20 --seed 11
/// --train-speakers 2 --test-speakers 1`) has the exact SHD layout, checked with h5py.
/// Skipped when python3 with h5py is not available.
final class FixtureLayoutTests: XCTestCase {
  func testFixtureHasSHDLayoutPerH5py() throws {
    let train = try XCTUnwrap(Bundle.module.url(forResource: "shd_fixture_train", withExtension: "h5", subdirectory: "Fixtures"))
    let test = try XCTUnwrap(Bundle.module.url(forResource: "shd_fixture_test", withExtension: "h5", subdirectory: "Fixtures"))
    let script = """
      import sys
      try:
          import h5py, numpy as np
      except ImportError:
          print("SKIP"); sys.exit(0)
      speakers = []
      for path, n in ((sys.argv[1], 40), (sys.argv[2], 20)):
          f = h5py.File(path, "r")
          t, u, l = f["spikes/times"], f["spikes/units"], f["labels"]
          assert t.shape == (n,) and u.shape == (n,) and l.shape == (n,), (t.shape, u.shape, l.shape)
          assert t.dtype.metadata["vlen"] == np.float16 and u.dtype.metadata["vlen"] == np.uint16
          assert l.dtype == np.uint16 and f["extra/speaker"].dtype == np.uint16
          keys = [k.decode() for k in f["extra/keys"][:]]
          assert keys[0] == "zero" and keys[10] == "null" and keys[15] == "fünf" and len(keys) == 20, keys
          assert sorted(set(l[:].tolist())) == list(range(20))
          for i in range(n):
              assert len(t[i]) == len(u[i]) > 500, (i, len(t[i]))
              assert np.all(np.diff(t[i].astype(np.float64)) >= 0) and u[i].max() < 700
          m = f["extra/meta_info"]
          for k in ("age", "body_height", "gender", "en_voice", "pitch", "speed", "split", "variant"):
              assert m[k].shape == (3,), k
          speakers.append(set(f["extra/speaker"][:].tolist()))
      assert not (speakers[0] & speakers[1]), speakers
      print("OK")
      """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, train.path, test.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { throw XCTSkip("python3 not available") }
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    if output.hasPrefix("SKIP") { throw XCTSkip("h5py not installed") }
    XCTAssertEqual(process.terminationStatus, 0, output)
    XCTAssertTrue(output.contains("OK"), output)
  }
}
