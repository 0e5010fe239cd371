import Foundation
import GatewayService
import KefuModel
import Logging
import Postgres
import Redis
import RedisStreams
import ServiceRuntime
import Testing

/// `docs/openapi.yaml` matches the routes, and roles are enforced on every route of it.
@Suite(.serialized)
struct OpenAPITests {
    struct Route: Hashable, CustomStringConvertible {
        let method: String
        let path: String
        var description: String { "\(method) \(path)" }
        var isVisitor: Bool { path.hasPrefix("/api/v1/visitor/") }
        var isAgent: Bool { path.hasPrefix("/api/v1/agent/") }
        var isAdmin: Bool { path.hasPrefix("/api/v1/admin/") }
        var isChannel: Bool { path.hasPrefix("/api/v1/channels/") }
    }

    static var repoRoot: URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return url
    }

    /// The `(method, path)` pairs of the spec, read from its regular layout.
    static func specRoutes() throws -> [Route] {
        let text = try String(contentsOf: repoRoot.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var routes: [Route] = []
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if !line.hasPrefix(" ") {
                path = nil
            } else if let path, let method = ["get", "post", "put", "patch", "delete"].first(where: { line == "    \($0):" }) {
                routes.append(Route(method: method.uppercased(), path: path))
            }
        }
        return routes
    }

    /// A concrete URL for a spec path (parameters filled with fresh UUIDs or a valid kind).
    static func concrete(_ path: String) -> String {
        path.split(separator: "/").map { segment -> String in
            guard segment.hasPrefix("{") else { return String(segment) }
            return segment == "{kind}" ? "sessions" : UUID().uuidString.lowercased()
        }.reduce("") { $0 + "/" + $1 }
    }

    @Test func everyServedRouteIsInTheSpecAndEverySpecRouteIsServed() throws {
        let configuration = try ServiceConfiguration(service: "gateway", defaultPort: 8080, reader: ConfigReader(environment: [
            "REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgres://kefu@127.0.0.1:1/kefu",
        ]))
        let redis = RedisClient(configuration: configuration.redis, logger: Logger(label: "test"))
        let context = ServiceContext(
            configuration: configuration, redis: redis, producer: StreamProducer(client: redis),
            postgres: PostgresClient(configuration: configuration.database), streams: configuration.streamNames,
            readiness: Readiness(), logger: Logger(label: "test"))
        let gateway = try GatewayConfiguration(reader: ConfigReader(environment: ["KEFU_GATEWAY_SECRET": GatewayHarness.secret]))
        let served = Set(try GatewayService.routeCatalog(context: context, gateway: gateway).routes.map { Route(method: $0.method, path: $0.path) })
        let spec = try Self.specRoutes()
        #expect(spec.count == Set(spec).count, "duplicate routes in the spec")
        #expect(spec.count > 60)
        #expect(served.subtracting(spec).isEmpty, "served but not in docs/openapi.yaml: \(served.subtracting(spec).sorted { $0.description < $1.description })")
        #expect(Set(spec).subtracting(served).isEmpty, "in docs/openapi.yaml but not served: \(Set(spec).subtracting(served))")
    }

    @Test func everySpecRouteAnswersAndRolesAreEnforced() async throws {
        let harness = try await GatewayHarness(["KEFU_GATEWAY_REQUEST_TIMEOUT_MS": "300"])
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("bob", admin: admin.access)
        let visitor = try await harness.visitor()

        for route in try Self.specRoutes() {
            let url = Self.concrete(route.path)
            let anonymous = try await harness.request(route.method, url, json: route.method == "GET" || route.method == "DELETE" ? nil : .object([:]))
            #expect(anonymous.status != 404 && anonymous.status != 405, "\(route) → \(anonymous.status) \(anonymous.text)")
            #expect(anonymous.header("Content-Type")?.hasPrefix("application/json") == true, "\(route) error is not JSON")
            if route.isAgent || route.isAdmin || route.path == "/api/v1/auth/logout" {
                #expect(anonymous.status == 401, "\(route) without a token → \(anonymous.status)")
                #expect(anonymous.errorCode == "unauthorized", "\(route)")
                let withVisitorToken = try await harness.request(route.method, url, token: visitor.token)
                #expect(withVisitorToken.status == 403, "\(route) with a visitor token → \(withVisitorToken.status)")
                #expect(withVisitorToken.errorCode == "forbidden", "\(route)")
            }
            if route.isVisitor, route.path != "/api/v1/visitor/sessions" {
                #expect(anonymous.status == 401, "\(route) without a visitor token → \(anonymous.status)")
                let withStaffToken = try await harness.request(route.method, url, token: agent.access)
                #expect(withStaffToken.status == 401, "\(route) with an agent token → \(withStaffToken.status)")
            }
            if route.isChannel {
                #expect(anonymous.status == 401 && anonymous.errorCode == "unauthorized", "\(route) without an API key → \(anonymous.status)")
                for token in [visitor.token, admin.access] {
                    let withOtherToken = try await harness.request(route.method, url, token: token)
                    #expect(withOtherToken.status == 401, "\(route) with a visitor or staff token → \(withOtherToken.status)")
                }
            }
            if route.isAdmin {
                let asAgent = try await harness.request(
                    route.method, url, token: agent.access, json: route.method == "GET" || route.method == "DELETE" ? nil : .object([:]))
                #expect(asAgent.status == 403, "\(route) as an agent → \(asAgent.status) \(asAgent.text)")
                #expect(asAgent.errorCode == "forbidden")
            }
        }
    }
}
