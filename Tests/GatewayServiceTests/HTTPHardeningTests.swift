import Foundation
import KefuModel
import Testing

/// The connection level: WebSocket upgrades on reused keep-alive connections, JSON refusals of upgrades,
/// and requests whose bytes the gateway must refuse (NUL in headers or paths, query strings that are not UTF-8).
@Suite(.serialized)
struct HTTPHardeningTests {
    @Test func webSocketUpgradeOnAReusedKeepAliveConnectionGets101() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(VisitorAPITests.standardAnswers)
        let visitor = try await harness.visitor()
        let connection = try RawConnection(port: harness.instances[0].port)
        for _ in 0..<2 {
            connection.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(connection.readResponse()?.status == 200)
        }
        connection.send(RawConnection.upgrade("/api/v1/visitor/ws?token=\(visitor.token)"))
        let switched = try #require(connection.readResponse())
        #expect(switched.status == 101, "\(switched)")
        #expect(switched.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let hello = try #require(connection.readFrame())
        #expect(hello.opcode == 1)
        #expect(String(decoding: hello.payload, as: UTF8.self).contains("\"hello\""))
        connection.sendTextFrame(#"{"type":"ping"}"#)
        let pong = try #require(connection.readFrame())
        #expect(String(decoding: pong.payload, as: UTF8.self) == #"{"type":"pong"}"#)
    }

    @Test func refusedUpgradesAnswerTheJSONError() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        harness.responder.answer(VisitorAPITests.standardAnswers)
        let visitor = try await harness.visitor()
        let port = harness.instances[0].port
        let first = try RawConnection(port: port)
        first.send(RawConnection.upgrade("/api/v1/visitor/ws?token=v1.bad.token"))
        let bad = try #require(first.readResponse())
        #expect(bad.status == 401)
        #expect(bad.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(bad.body.contains("\"unauthorized\""), "\(bad.body)")
        #expect(first.isClosedByPeer())
        let second = try RawConnection(port: port)
        second.send(RawConnection.upgrade("/api/v1/agent/ws?token=\(visitor.token)"))
        let visitorOnStaff = try #require(second.readResponse())
        #expect(visitorOnStaff.status == 403)
        #expect(visitorOnStaff.body.contains("\"forbidden\""), "\(visitorOnStaff.body)")
        let staffRoute = try await harness.request("GET", "/api/v1/agent/me", token: visitor.token)
        #expect(staffRoute.status == 403)
        #expect(staffRoute.errorCode == "forbidden")
        let expired = try await harness.request("GET", "/api/v1/agent/me", token: "kfa_unknown")
        #expect(expired.status == 401)
    }

    @Test func controlBytesAndBadTargetsGet400AndClose() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        let port = harness.instances[0].port
        let header = try RawConnection(port: port)
        header.send(Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a".utf8) + [0] + Array("b\r\n\r\n".utf8))
        #expect(header.readResponse()?.status == 400)
        #expect(header.isClosedByPeer())
        let control = try RawConnection(port: port)
        control.send(Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Test: a".utf8) + [1] + Array("b\r\n\r\n".utf8))
        #expect(control.readResponse()?.status == 400)
        #expect(control.isClosedByPeer())
        let path = try RawConnection(port: port)
        path.send("GET /chat/index.html%00.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let nul = try #require(path.readResponse())
        #expect(nul.status == 400)
        #expect(nul.body.contains("invalid_path"))
        #expect(nul.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(path.isClosedByPeer())
        let query = try RawConnection(port: port)
        query.send("GET /api/v1/agent/queue?q=%FF%FE HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let utf8 = try #require(query.readResponse())
        #expect(utf8.status == 400)
        #expect(utf8.body.contains("invalid_query"))
        #expect(try await harness.request("GET", "/chat/index.html").status == 200)
        #expect(try await harness.request("GET", "/api/v1/agent/queue?q=%E4%BD%A0").status == 401)
    }
}
