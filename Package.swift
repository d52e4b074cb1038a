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
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
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
        // Header-only loader (dlopen) for the installed LibreOffice; Debian ships no .pc file for it.
        .systemLibrary(
            name: "CLibreOfficeKit",
            providers: [.apt(["libreofficekit-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),

        // MARK: - Libraries

        .target(
            name: "AttestCore",
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestPQ",
            dependencies: [
                "CLibPQ",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestDatabase",
            dependencies: [
                "AttestCore",
                "AttestPQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Migrations")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestQueue",
            dependencies: [
                "AttestCore",
                "AttestPQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
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
            name: "AttestFiles",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["README.md"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestConversion",
            dependencies: [
                "CLibreOfficeKit",
                "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestHTTP",
            dependencies: [
                "AttestCore",
                "AttestPQ",
                "AttestDatabase",
                "AttestFiles",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "AttestApp",
            dependencies: [
                "AttestCore",
                "AttestPQ",
                "AttestDatabase",
                "AttestQueue",
                "AttestRendering",
                "AttestConversion",
                "AttestFiles",
                "AttestHTTP",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "attest",
            dependencies: ["AttestApp"],
            swiftSettings: strictSettings
        ),

        // MARK: - Tests

        .target(
            name: "AttestTestSupport",
            dependencies: [
                "AttestPQ",
                "AttestDatabase",
                "AttestQueue",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            path: "Tests/AttestTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestCoreTests",
            dependencies: ["AttestCore"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ShimTests",
            dependencies: ["CCairo", "CQREncode", "AttestTestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AttestCore",
                "AttestPQ",
                "AttestDatabase",
                "AttestQueue",
                "AttestTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestRenderingTests",
            dependencies: ["AttestRendering", "AttestCore"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestHTTPTests",
            dependencies: [
                "AttestHTTP",
                "AttestCore",
                "AttestPQ",
                "AttestDatabase",
                "AttestFiles",
                "AttestTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "AttestFilesTests",
            dependencies: ["AttestFiles"],
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
        .testTarget(
            name: "AttestConversionTests",
            dependencies: [
                "AttestConversion",
                "AttestTestSupport",
                "attest",
                "CZlib",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),

        // MARK: - Fuzz targets

        // Built for fuzzing only by scripts/fuzz (-sanitize=fuzzer,address into .build-fuzz); an ordinary build makes
        // executables that replay the files they are given. See Fuzz/README.md.
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .target(
            name: "AttestFuzzing",
            dependencies: ["AttestConversion", "CLibFuzzer"],
            path: "Fuzz/AttestFuzzing",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzZipArchive",
            dependencies: ["AttestConversion", "AttestFuzzing"],
            path: "Fuzz/ZipArchive",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzCompoundFile",
            dependencies: ["AttestConversion", "AttestFuzzing"],
            path: "Fuzz/CompoundFile",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzPowerPointBinary",
            dependencies: ["AttestConversion", "AttestFuzzing"],
            path: "Fuzz/PowerPointBinary",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzPDFInspector",
            dependencies: ["AttestConversion", "AttestFuzzing"],
            path: "Fuzz/PDFInspector",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "FuzzDeckInspector",
            dependencies: ["AttestConversion", "AttestFuzzing"],
            path: "Fuzz/DeckInspector",
            exclude: ["corpus"],
            swiftSettings: strictSettings
        ),
    ]
)
