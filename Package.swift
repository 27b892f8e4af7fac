// swift-tools-version:6.0
import PackageDescription

// Hot loops need the CPU's FMA/AVX2 units: without a target CPU, SIMD `addingProduct`
// lowers to `fmaf` library calls (PLATFORM.md). Guarded so the package still builds on ARM.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

let package = Package(
  name: "Replay4NCL",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "Learner", targets: ["Learner"]),
    .library(name: "Storage", targets: ["Storage"]),
    .library(name: "Node", targets: ["Node"]),
    .executable(name: "r4ncl", targets: ["r4ncl"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
  ],
  targets: [
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
    .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),

    .target(name: "Learner", dependencies: ["CBLAS"], swiftSettings: cpuFlags),
    // Cochlea is optimised even in debug builds: its SIMD loops run ~100x slower unoptimised,
    // which would make the statistical tests of CochleaTests (and fixture synthesis) crawl.
    .target(name: "Cochlea", swiftSettings: cpuFlags + [.unsafeFlags(["-O"])]),
    .target(name: "Storage", dependencies: ["Learner", "CHDF5"]),
    .target(name: "Proto", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
    .target(
      name: "Node",
      dependencies: [
        "Learner", "Storage", "Proto", "CZeroMQ",
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ]),
    .executableTarget(
      name: "r4ncl",
      dependencies: [
        "Learner", "Storage", "Cochlea", "Node", "Proto",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "Yams", package: "Yams"),
      ]),

    .testTarget(name: "LearnerTests", dependencies: ["Learner"], resources: [.copy("Fixtures")]),
    .testTarget(name: "StorageTests", dependencies: ["Storage", "Learner"], resources: [.copy("Fixtures")]),
    .testTarget(name: "CochleaTests", dependencies: ["Cochlea"], resources: [.copy("Fixtures")]),
    .testTarget(
      name: "NodeTests", dependencies: ["Node", "Proto", "Learner", "Storage", .product(name: "Logging", package: "swift-log")]),
  ],
  swiftLanguageModes: [.v5]
)
