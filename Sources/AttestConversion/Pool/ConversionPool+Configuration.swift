// Attest — certificates and documents you can verify. Apache-2.0.

public import Foundation

extension ConversionPool {
    /// How many hosts, how long and how much: every limit of the pool. Check it with `validate()` at startup.
    public struct Configuration: Sendable {
        /// Host processes at most; conversions beyond that wait their turn. Defaults to 2.
        public var hosts: Int = 2
        /// Longest a conversion may take before its host's process group is killed. Defaults to 120 seconds.
        public var conversionTimeout: Duration = .seconds(120)
        /// Longest a host may take to load LibreOffice and say it is ready. Defaults to 60 seconds.
        public var startTimeout: Duration = .seconds(60)
        /// A host is replaced after this many conversions. Defaults to 200.
        public var maxConversionsPerHost: Int = 200
        /// A host is replaced after a conversion when its resident memory is above this. Defaults to 1 GiB.
        public var recycleResidentBytes: Int = 1 << 30
        /// A conversion is killed when its host's resident memory passes this. Defaults to 3 GiB.
        public var maxResidentBytes: Int = 3 << 30
        /// Conversions allowed to wait for a host; more fail with `overloaded`. Defaults to 10 000.
        public var maxWaiting: Int = 10_000
        /// Largest input accepted. Defaults to 100 MiB.
        public var maxInputBytes: Int = Self.defaultMaxInputBytes
        /// The default of `maxInputBytes`, for checks made before a pool exists (`attest convert --enqueue`).
        public static let defaultMaxInputBytes = 100 << 20
        /// Most members an OOXML package may have. Defaults to 10 000.
        public var maxZipMembers: Int = 10_000
        /// Largest total uncompressed size of an OOXML package. Defaults to 1 GiB.
        public var maxUncompressedBytes: UInt64 = 1 << 30
        /// Highest compression ratio of a large member or of the whole package. Defaults to 200.
        public var maxCompressionRatio: UInt64 = 200
        /// Where host profiles and per-job directories live; the pool owns it and deletes it at shutdown.
        /// No default: the caller chooses a fresh private directory.
        public var workDirectory: URL
        /// The executable started as a host (the `attest` binary). No default.
        public var hostExecutable: String
        /// Arguments that make `hostExecutable` a host. Defaults to `["conversion-host"]`.
        public var hostArguments: [String] = ["conversion-host"]
        /// LibreOffice's `program` directory. Defaults to `/usr/lib/libreoffice/program`.
        public var officeInstallPath: String = "/usr/lib/libreoffice/program"
        /// Put each host in a new network namespace (needs root; otherwise a warning is logged). Defaults to true.
        public var isolateNetwork: Bool = true
        /// Test hook passed to hosts: a request that finds this file deletes it and is never answered.
        /// Defaults to nil.
        public var hangMarker: String?
        /// Time a host gets to exit by itself at shutdown before it is killed. Defaults to 2 seconds.
        public var shutdownGrace: Duration = .seconds(2)

        /// A configuration with the defaults, working in `workDirectory` and starting `hostExecutable`.
        public init(workDirectory: URL, hostExecutable: String) {
            self.workDirectory = workDirectory
            self.hostExecutable = hostExecutable
        }

        /// Throws `invalidConfiguration` when a value is out of range.
        public func validate() throws {
            func check(_ condition: Bool, _ message: String) throws {
                if !condition { throw ConversionError(.invalidConfiguration, message) }
            }
            try check(self.hosts >= 1 && self.hosts <= 64, "hosts must be between 1 and 64")
            try check(self.conversionTimeout > .zero, "the conversion timeout must be positive")
            try check(self.startTimeout > .zero, "the start timeout must be positive")
            try check(self.maxConversionsPerHost >= 1, "conversions per host must be at least 1")
            try check(self.recycleResidentBytes >= 64 << 20, "the recycle memory cap must be at least 64 MiB")
            try check(
                self.maxResidentBytes >= self.recycleResidentBytes,
                "the hard memory cap must not be below the recycle cap"
            )
            try check(self.maxWaiting >= 0, "max waiting must not be negative")
            try check(self.maxInputBytes >= 1024, "the input size cap must be at least 1 KiB")
            try check(self.maxZipMembers >= 16, "the zip member cap must be at least 16")
            try check(self.maxCompressionRatio >= 10, "the compression ratio cap must be at least 10")
            try check(
                FileManager.default.isExecutableFile(atPath: self.hostExecutable),
                "the host executable does not exist or is not executable"
            )
        }

        var inspectorLimits: DeckInspector.Limits {
            DeckInspector.Limits(
                maxInputBytes: self.maxInputBytes,
                maxZipMembers: self.maxZipMembers,
                maxUncompressedBytes: self.maxUncompressedBytes,
                maxCompressionRatio: self.maxCompressionRatio
            )
        }
    }
}
