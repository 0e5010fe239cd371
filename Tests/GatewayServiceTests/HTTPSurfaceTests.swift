import Foundation
import KefuModel
import Testing
import TestSupport

/// What a browser sees: CORS for allowed origins only, security headers, static files, exports streamed
/// from reporting, and a clear refusal to start without the secret.
@Suite(.serialized)
struct HTTPSurfaceTests {
    @Test func corsSecurityHeadersAndStaticFiles() async throws {
        let harness = try await GatewayHarness(["KEFU_CORS_ORIGINS": "https://shop.example.com"])
        defer { Task { await harness.shutdown() } }
        let preflight = try await harness.request("OPTIONS", "/api/v1/visitor/messages", headers: [
            "Origin": "https://shop.example.com", "Access-Control-Request-Method": "POST",
        ])
        #expect(preflight.status == 204)
        #expect(preflight.header("Access-Control-Allow-Origin") == "https://shop.example.com")
        #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
        let foreign = try await harness.request("OPTIONS", "/api/v1/visitor/messages", headers: ["Origin": "https://evil.example"])
        #expect(foreign.status == 403)
        #expect(foreign.header("Access-Control-Allow-Origin") == nil)
        let simple = try await harness.request("POST", "/api/v1/visitor/sessions", json: .object([:]), headers: ["Origin": "https://shop.example.com"])
        #expect(simple.header("Access-Control-Allow-Origin") == "https://shop.example.com")
        #expect(simple.header("X-Content-Type-Options") == "nosniff")
        #expect(simple.header("X-Frame-Options") == "DENY")
        #expect(simple.header("Content-Security-Policy")?.contains("default-src 'none'") == true)

        let index = try await harness.request("GET", "/")
        #expect(index.status == 200)
        #expect(index.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(index.text.contains("Kefu"))
        #expect(index.header("X-Frame-Options") == "DENY")
        #expect(index.header("Referrer-Policy") != nil)
        let missing = try await harness.request("GET", "/no-such-file.js")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        #expect(try await harness.request("GET", "/../Package.swift").status != 200)
    }

    @Test func csvExportsAreStreamedFromReporting() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let admin = try await harness.login()
        let stream = harness.stream("export:\(UUID().uuidString.lowercased())")
        let redis = harness.redis
        harness.responder.answer { request in
            guard request.name == "export.start" else { return nil }
            // Reporting's part: reply first, then append the CSV in chunks and the end marker.
            Task {
                try? await Task.sleep(for: .milliseconds(100))
                _ = try? await redis.send(["XADD", stream, "*", "chunk", "\u{FEFF}日期,会话数\n"])
                for day in 1...3 { _ = try? await redis.send(["XADD", stream, "*", "chunk", "2026-11-0\(day),\(day * 10)\n"]) }
                _ = try? await redis.send(["XADD", stream, "*", "end", "ok"])
            }
            return .success(.object(["export_stream": .string(stream), "filename": "daily-2026-11.csv"]))
        }
        let reply = try await harness.request("GET", "/api/v1/admin/exports/daily?from=2026-11-01&to=2026-11-03&tz=Asia/Shanghai&bom=true", token: admin.access)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("Content-Type") == "text/csv; charset=utf-8")
        #expect(reply.header("Content-Disposition") == "attachment; filename=\"daily-2026-11.csv\"")
        #expect(reply.text == "\u{FEFF}日期,会话数\n2026-11-01,10\n2026-11-02,20\n2026-11-03,30\n")
        let start = try #require(harness.responder.requests.first { $0.name == "export.start" })
        #expect(start.params?["kind"]?.stringValue == "daily")
        #expect(start.params?["bom"] == .bool(true))
        #expect(try await redis.send(["XLEN", stream]).int == 0, "read chunks are deleted")

        harness.responder.answer { request in
            guard request.name == "export.start" else { return nil }
            let failing = stream + "x"
            Task { _ = try? await redis.send(["XADD", failing, "*", "end", "error:the date range is too large"]) }
            return .success(.object(["export_stream": .string(failing), "filename": "x.csv"]))
        }
        let failed = try await harness.request("GET", "/api/v1/admin/exports/sessions", token: admin.access)
        #expect(failed.status == 502)
        #expect(failed.errorCode == "export_failed")
        #expect(failed.text.contains("too large"))
    }

    @Test func sigtermClosesOpenSocketsAndStopsPromptly() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let visitor = try await harness.visitor()
        let socket = SocketProbe(url: "\(harness.wsBase())/api/v1/visitor/ws", bearer: visitor.token)
        #expect(await socket.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let sse = try SSEReader(port: harness.instances[0].port, path: "/api/v1/visitor/events", headers: ["Authorization": "Bearer \(visitor.token)"])
        defer { sse.close() }
        _ = try sse.readIDs(count: 0, timeout: .milliseconds(300))
        let process = harness.instances[0].process
        let started = ContinuousClock.now
        process.send(SIGTERM)
        let status = await process.waitForExit(timeout: .seconds(20))
        #expect(status == 0, "\(process.output())")
        #expect(ContinuousClock.now - started < .seconds(5), "shutdown waited for the sockets")
        #expect(process.output().contains("stopped cleanly"))
        await socket.close()
    }

    @Test func refusesToStartWithoutASecret() async throws {
        for (environment, named) in [([String: String](), "KEFU_GATEWAY_SECRET is not set"), (["KEFU_GATEWAY_SECRET": "short"], "at least 32 bytes")] {
            var env = ["REDIS_URL": "redis://127.0.0.1:1/0", "DATABASE_URL": "postgres://kefu@127.0.0.1:1/kefu", "KEFU_GATEWAY_SECRET": ""]
            env.merge(environment) { $1 }
            let process = try TestProcess(executable: TestProcess.product("kefu-gateway"), environment: env)
            defer { process.terminate() }
            #expect(await process.waitForExit(timeout: .seconds(10)) == 2)
            let output = process.output().trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(output.split(separator: "\n").count == 1, "\(output)")
            #expect(output.contains(named), "\(output)")
        }
    }
}
