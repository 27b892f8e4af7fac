import CHDF5
import Foundation
import Learner
import XCTest

@testable import Storage

/// A model file's class names are counted before they are read.
final class ModelFileBoundsTests: XCTestCase {
  /// `class_names` declaring 1e9 names was read (1 GB+) before being compared with the readout.
  func testClassNamesDeclaringABillionAreRefusedUnread() throws {
    let url = try makeTemporaryDirectory(self).appendingPathComponent("m.h5")
    let network = try Network(config: NetworkConfig(sizes: [12, 8, 3], timesteps: 10, seed: 1))
    try ModelFile.save(network, classNames: ["a", "b", "c"], to: url)
    try HostileHDF5.edit(url) { f in
      HostileHDF5.deleteAttribute(f, "content_crc32")
      HostileHDF5.delete(f, "class_names")
      let name = HDF5Types.fixedString(bytes: 4)
      try withExtendedLifetime(name) { try HostileHDF5.declare(f, "class_names", type: name.id, shape: [1_000_000_000]) }
    }
    XCTAssertThrowsError(try ModelFile.loadModel(url)) {
      XCTAssertEqual($0 as? ModelFileError, .classNamesMismatch(file: url.path, names: 1_000_000_000, classes: 3))
    }
  }
}
