// swift-tools-version:6.2
import PackageDescription

/// The Kefu services and their shared building blocks.
///
/// Layout: `Shared/<Module>` holds building blocks, `Services/<Name>/<Name>Service` a service's logic and
/// `Services/<Name>/kefu-<name>` its thin executable; `Tests/<Module>Tests` mirror them.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let bcrypt = Target.Dependency.product(name: "HummingbirdBcrypt", package: "hummingbird-auth")
let webSocketClient = Target.Dependency.product(name: "HummingbirdWSClient", package: "hummingbird-websocket")

/// The five services: name (folder), library target, executable product, and the library's resources
/// (a service's SQL migrations live in `<Name>Service/Migrations`).
let services: [(folder: String, library: String, executable: String, resources: [Resource])] = [
    ("Gateway", "GatewayService", "kefu-gateway", [.copy("Migrations"), .copy("Public")]),
    ("Routing", "RoutingService", "kefu-routing", [.copy("Migrations")]),
    ("Store", "StoreService", "kefu-store", [.copy("Migrations")]),
    ("Knowledge", "KnowledgeService", "kefu-knowledge", [.copy("Migrations"), .copy("Resources")]),
    ("Reporting", "ReportingService", "kefu-reporting", [.copy("Migrations")]),
]

var targets: [Target] = [
    .systemLibrary(
        name: "CHiredis", path: "Shared/CHiredis", pkgConfig: "hiredis",
        providers: [.apt(["libhiredis-dev"])]),
    .systemLibrary(
        name: "CLibpq", path: "Shared/CLibpq", pkgConfig: "libpq",
        providers: [.apt(["libpq-dev"])]),
    .target(
        name: "Redis", dependencies: ["CHiredis", logging, nioPosix, nioCore],
        path: "Shared/Redis", swiftSettings: swiftSettings),
    .target(
        name: "RedisStreams", dependencies: ["Redis", logging, metrics, lifecycle],
        path: "Shared/RedisStreams", exclude: ["README.md"], swiftSettings: swiftSettings),
    .target(
        name: "Postgres", dependencies: ["CLibpq", logging, nioPosix, nioCore],
        path: "Shared/Postgres", exclude: ["README.md"], swiftSettings: swiftSettings),
    .target(name: "KefuModel", path: "Shared/KefuModel", swiftSettings: swiftSettings),
    .target(
        name: "ServiceRuntime",
        dependencies: [
            "Redis", "RedisStreams", "Postgres", "KefuModel", hummingbird, lifecycle, logging, metrics,
            .product(name: "Prometheus", package: "swift-prometheus"),
        ],
        path: "Shared/ServiceRuntime", resources: [.copy("Migrations")], swiftSettings: swiftSettings),
    .target(
        name: "TestSupport", dependencies: ["Redis", "Postgres", logging],
        path: "Shared/TestSupport", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu-stream-worker",
        dependencies: ["ServiceRuntime", "RedisStreams", "Postgres", "KefuModel", lifecycle, logging],
        path: "Tests/Tools/StreamWorker", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu-knowledge-bench",
        dependencies: ["KnowledgeService", "KefuModel", "Redis", "Postgres", "TestSupport", logging],
        path: "Benchmarks/KnowledgeBench", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu-bench",
        dependencies: [
            "Redis", "RedisStreams", "Postgres", "KefuModel", "ReportingService", "RoutingService", "ServiceRuntime",
            "TestSupport", logging, lifecycle,
        ],
        path: "Benchmarks/Bench", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu",
        dependencies: [argumentParser, "Postgres", "ServiceRuntime", logging] + services.map { .byName(name: $0.library) },
        path: "Tools/kefu", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu-webhook-bench",
        dependencies: [
            "KefuModel", "Redis", hummingbird, logging, nioCore, .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
        ],
        path: "Benchmarks/WebhookBench", swiftSettings: swiftSettings),
    .executableTarget(
        name: "kefu-gateway-bench",
        dependencies: [
            "KefuModel", hummingbird, webSocketClient, logging,
            .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
        ],
        path: "Benchmarks/GatewayBench", swiftSettings: swiftSettings),
    .testTarget(
        name: "RedisTests", dependencies: ["Redis", "TestSupport", logging], swiftSettings: swiftSettings),
    .testTarget(
        name: "RedisStreamsTests",
        dependencies: [
            "RedisStreams", "Redis", "TestSupport", lifecycle, logging, metrics,
            .product(name: "MetricsTestKit", package: "swift-metrics"),
            .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: swiftSettings),
    .testTarget(name: "KefuModelTests", dependencies: ["KefuModel"], swiftSettings: swiftSettings),
    .testTarget(
        name: "ServiceRuntimeTests",
        dependencies: ["ServiceRuntime", "RedisStreams", "Redis", "Postgres", "KefuModel", "TestSupport", lifecycle],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "ReportingServiceTests",
        dependencies: ["ReportingService", "ServiceRuntime", "TestSupport", "Redis", "Postgres", "KefuModel", logging],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "RoutingServiceTests",
        dependencies: ["RoutingService", "ServiceRuntime", "TestSupport", "Redis", "Postgres", "KefuModel", logging],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "StoreServiceTests",
        dependencies: ["StoreService", "ServiceRuntime", "RedisStreams", "TestSupport", "Redis", "Postgres", "KefuModel", lifecycle, logging],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "KnowledgeServiceTests",
        dependencies: ["KnowledgeService", "ServiceRuntime", "TestSupport", "Redis", "Postgres", "KefuModel", logging],
        exclude: ["Resources"],
        swiftSettings: swiftSettings),
    .testTarget(
        name: "ServicesTests",
        dependencies: ["TestSupport", "Redis", "Postgres", "KefuModel"] + services.map { .byName(name: $0.library) },
        swiftSettings: swiftSettings),
]

/// What some service libraries need beyond the common dependencies.
let serviceDependencies: [String: [Target.Dependency]] = [
    "GatewayService": [
        bcrypt, nioCore, nioPosix, .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOWebSocket", package: "swift-nio"),
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
    ],
]

targets.append(
    .testTarget(
        name: "GatewayServiceTests",
        dependencies: ["GatewayService", "TestSupport", "Redis", "RedisStreams", "Postgres", "KefuModel", "ServiceRuntime", hummingbird, webSocketClient, logging],
        swiftSettings: swiftSettings))

for service in services {
    targets.append(
        .target(
            name: service.library,
            dependencies: ["ServiceRuntime", "RedisStreams", "Redis", "Postgres", "KefuModel", hummingbird, lifecycle, logging]
                + (serviceDependencies[service.library] ?? []),
            path: "Services/\(service.folder)/\(service.library)",
            resources: service.resources,
            swiftSettings: swiftSettings))
    targets.append(
        .executableTarget(
            name: service.executable,
            dependencies: [.byName(name: service.library), "ServiceRuntime"],
            path: "Services/\(service.folder)/\(service.executable)",
            swiftSettings: swiftSettings))
}

let package = Package(
    name: "kefu",
    platforms: [.macOS(.v14)],
    products: services.map { .executable(name: $0.executable, targets: [$0.executable]) } + [
        .executable(name: "kefu-bench", targets: ["kefu-bench"]),
        .executable(name: "kefu-knowledge-bench", targets: ["kefu-knowledge-bench"]),
        .executable(name: "kefu", targets: ["kefu"]),
        .executable(name: "kefu-gateway-bench", targets: ["kefu-gateway-bench"]),
        .executable(name: "kefu-webhook-bench", targets: ["kefu-webhook-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: targets
)
