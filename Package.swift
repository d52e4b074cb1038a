// swift-tools-version: 6.1
import PackageDescription

/// Upcoming language features every Attest target turns on (STYLE.md §1).
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Attest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "attest", targets: ["attest"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - C libraries (module map + shim.h only)

        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"]), .brew(["cairo"])]
        ),
        .systemLibrary(
            name: "CPango",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev"]), .brew(["pango"])]
        ),
        .systemLibrary(name: "CMalloc"),
        .systemLibrary(
            name: "CQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"]), .brew(["qrencode"])]
        ),

        // MARK: - Libraries

        .target(
            name: "AttestCore",
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestRendering",
            dependencies: [
                "AttestCore",
                "CCairo",
                "CPango",
                "CQREncode",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestApp",
            dependencies: [
                "AttestCore",
                "AttestRendering",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "attest",
            dependencies: ["AttestApp"],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests

        .testTarget(
            name: "AttestCoreTests",
            dependencies: ["AttestCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestRenderingTests",
            dependencies: ["AttestRendering", "AttestCore"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestAppTests",
            dependencies: [
                "AttestApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
