import Foundation
import KefuModel
import Testing

/// Files through the gateway with the real `kefu-routing` (the admin's limit and allow-list) and
/// `kefu-store` (the bytes): refusals by size and by content whatever the name, with nothing stored; a
/// visitor's PDF sent as a `file` message, downloaded by the serving agent as an attachment; everyone else
/// refused.
@Suite(.serialized)
struct FileEndToEndTests {
    @Test func limitAllowListMessagesDownloadsAndIsolation() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("routing")
        try await harness.launchService("store")
        let admin = try await harness.login()
        let agent = try await harness.makeAgent("fay", admin: admin.access)
        let stranger = try await harness.makeAgent("gus", admin: admin.access)

        // The admin's file settings: validated, then in force.
        let current = try await harness.request("GET", "/api/v1/admin/settings", token: admin.access)
        var settings = try #require(current.json?["settings"]?.objectValue)
        #expect(settings["files"]?["max_bytes"]?.intValue == 10 * 1024 * 1024)
        settings["files"] = .object(["max_bytes": 0, "allowed_types": .array(["pdf", "exe"])])
        let bad = try await harness.request("PUT", "/api/v1/admin/settings", token: admin.access, json: .object(["settings": .object(settings)]))
        #expect(bad.status == 400, "\(bad.text)")
        #expect(bad.errorCode == "invalid_settings")
        #expect(bad.text.contains("files.max_bytes"), "\(bad.text)")
        settings["files"] = .object(["max_bytes": 4096, "allowed_types": .array(["pdf", "txt", "docx"])])
        let put = try await harness.request("PUT", "/api/v1/admin/settings", token: admin.access, json: .object(["settings": .object(settings)]))
        #expect(put.status == 200, "\(put.text)")

        let workbench = SocketProbe(url: "\(harness.wsBase())/api/v1/agent/ws", bearer: agent.access)
        #expect(await workbench.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let online = try await harness.eventually(timeout: .seconds(15)) {
            try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"])).status == 200
        }
        #expect(online)
        let visitor = try await harness.visitor()
        let other = try await harness.visitor()
        let widget = SocketProbe(url: "\(harness.wsBase())/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        _ = try await harness.request("POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "f1", "text": "你好"]))
        #expect(await widget.wait { $0.contains { $0["event"]?.stringValue == "session.created" } }, "\(widget.received)")
        let session = try #require(widget.received.first { $0["event"]?.stringValue == "session.created" }?["session_id"]?.stringValue)
        let human = try await harness.request("POST", "/api/v1/visitor/request-human", token: visitor.token, json: .object(["session_id": .string(session)]))
        #expect(human.status == 200, "\(human.text)")
        #expect(await workbench.wait(timeout: .seconds(15)) { _ in ConversationEndToEndTests.events(workbench, session).contains("session.assigned") })

        // The widget learns the policy with its channel config.
        let started = try await harness.request("POST", "/api/v1/visitor/sessions", token: visitor.token, json: .object(["channel": "web-pc"]))
        #expect(started.json?["channel_config"]?["files"]?["max_bytes"]?.intValue == 4096, "\(started.text)")

        // Refusals: each with its code, nothing written (no blob key, no stored file).
        let upload = "/api/v1/visitor/files?session_id=\(session)&name="
        let tooBig = try await harness.request(
            "POST", upload + "big.pdf", token: visitor.token, body: Data(FileSamples.pdf + Array(repeating: 0x20, count: 5000)))
        #expect(tooBig.status == 413, "\(tooBig.text)")
        #expect(tooBig.errorCode == "file_too_large")
        let disguised = try await harness.request("POST", upload + "report.pdf", token: visitor.token, body: Data(FileSamples.executable))
        #expect(disguised.status == 415, "\(disguised.text)")
        #expect(disguised.errorCode == "unsupported_file")
        let zipAsDocx = try await harness.request("POST", upload + "table.docx", token: visitor.token, body: Data(FileSamples.plainZip))
        #expect(zipAsDocx.status == 415, "\(zipAsDocx.text)")
        #expect(zipAsDocx.errorCode == "file_type_not_allowed")
        #expect(zipAsDocx.text.contains("zip"))
        let noName = try await harness.request("POST", "/api/v1/visitor/files?session_id=\(session)", token: visitor.token, body: Data(FileSamples.pdf))
        #expect(noName.status == 400 && noName.errorCode == "invalid_params", "\(noName.text)")
        let blobs = try await harness.redis.send(["KEYS", "\(harness.prefix):blob:*"])
        #expect(blobs.array?.isEmpty == true, "\(blobs)")

        // A PDF named in Chinese: stored, sent as a message, seen by the agent as a file message.
        let name = "报价单 v2.pdf"
        let encoded = try #require(name.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz0123456789.")))
        let stored = try await harness.request("POST", upload + encoded, token: visitor.token, body: Data(FileSamples.pdf))
        #expect(stored.status == 201, "\(stored.text)")
        let fileID = try #require(stored.json?["file_id"]?.stringValue)
        #expect(stored.json?["name"]?.stringValue == name)
        #expect(stored.json?["size"]?.intValue == FileSamples.pdf.count)
        #expect(stored.json?["mime_type"]?.stringValue == "application/pdf")
        let foreign = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: other.token, json: .object(["client_message_id": "x1", "file_id": .string(fileID)]))
        #expect(foreign.status == 404 && foreign.errorCode == "unknown_file", "\(foreign.text)")
        let both = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token,
            json: .object(["client_message_id": "f2", "text": "hi", "file_id": .string(fileID)]))
        #expect(both.status == 400 && both.errorCode == "invalid_field")
        let sent = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token,
            json: .object(["client_message_id": "f3", "session_id": .string(session), "file_id": .string(fileID)]))
        #expect(sent.status == 200, "\(sent.text)")
        #expect(await workbench.wait { frames in
            frames.contains { $0["event"]?.stringValue == "message.accepted" && $0["data"]?["file"]?["file_id"]?.stringValue == fileID }
        }, "\(workbench.received)")
        let accepted = workbench.received.first { $0["data"]?["file"]?["file_id"]?.stringValue == fileID }
        #expect(accepted?["data"]?["file"]?["name"]?.stringValue == name)
        #expect(accepted?["data"]?["file"]?["size"]?.intValue == FileSamples.pdf.count)

        // Downloads: the serving agent and the visitor get the attachment; nobody else.
        let download = try await harness.request("GET", "/api/v1/agent/files/\(fileID)", token: agent.access)
        #expect(download.status == 200, "\(download.text)")
        #expect(Array(download.body) == FileSamples.pdf)
        #expect(download.header("Content-Type") == "application/pdf")
        #expect(download.header("Content-Disposition") == "attachment; filename=\"___ v2.pdf\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20v2.pdf")
        #expect(download.header("X-Content-Type-Options") == "nosniff")
        #expect(try await harness.request("GET", "/api/v1/visitor/files/\(fileID)", token: visitor.token).status == 200)
        let otherVisitor = try await harness.request("GET", "/api/v1/visitor/files/\(fileID)", token: other.token)
        #expect(otherVisitor.status == 404 && otherVisitor.errorCode == "unknown_file", "\(otherVisitor.text)")
        #expect(try await harness.request("GET", "/api/v1/visitor/files/\(fileID)").status == 401)
        #expect(try await harness.request("GET", "/api/v1/agent/files/\(fileID)").status == 401)
        #expect(try await harness.request("GET", "/api/v1/agent/files/\(fileID)", token: stranger.access).status == 403)
        #expect(try await harness.request("GET", "/api/v1/agent/files/\(fileID)", token: admin.access).status == 200)
        let foreignUpload = try await harness.request("POST", "/api/v1/visitor/files?session_id=\(session)&name=a.txt", token: other.token, body: Data(FileSamples.text))
        #expect(foreignUpload.status == 404, "\(foreignUpload.text)")

        // The agent answers with a text file; the visitor downloads it; history keeps both file messages.
        let reply = try await harness.request(
            "POST", "/api/v1/agent/files?session_id=\(session)&name=notes", token: agent.access, body: Data(FileSamples.text))
        #expect(reply.status == 201 && reply.json?["mime_type"]?.stringValue == "text/plain", "\(reply.text)")
        let replyID = try #require(reply.json?["file_id"]?.stringValue)
        let sentReply = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: agent.access,
            json: .object(["client_message_id": "w1", "file_id": .string(replyID)]))
        #expect(sentReply.status == 200, "\(sentReply.text)")
        let text = try await harness.request("GET", "/api/v1/visitor/files/\(replyID)", token: visitor.token)
        #expect(Array(text.body) == FileSamples.text)
        #expect(text.header("Content-Disposition")?.hasPrefix("attachment; filename=\"notes.txt\"") == true)
        let history = try await harness.eventually {
            let page = try await harness.request("GET", "/api/v1/visitor/history?session_id=\(session)", token: visitor.token)
            guard case .array(let items)? = page.json?["items"] else { return false }
            return items.compactMap { $0["data"]?["file"]?["file_id"]?.stringValue } == [fileID, replyID]
        }
        #expect(history)
        await widget.close()
        await workbench.close()
    }

    /// An integrator's visitor sends a PDF through the API channel; the agent answers with a text file that
    /// the integrator fetches as that visitor; another visitor of the channel cannot.
    @Test func apiChannelSendsAndReceivesFiles() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        try await harness.launchService("routing")
        try await harness.launchService("store")
        let admin = try await harness.login().access
        let agent = try await harness.makeAgent("hal", admin: admin)
        let key = try await APIChannelTests.createChannel(harness, "shopapp", admin: admin)
        let start = try #require(try await harness.request("GET", "/api/v1/channels/shopapp/events?timeout=0", token: key).json?["cursor"]?.stringValue)
        let online = try await harness.eventually(timeout: .seconds(15)) {
            try await harness.request("PUT", "/api/v1/agent/status", token: agent.access, json: .object(["status": "online"])).status == 200
        }
        #expect(online)
        let first = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: .object([
            "visitor_id": "u-7", "client_message_id": "m-1", "text": "你好",
        ]))
        let session = try #require(first.json?["session_id"]?.stringValue, "\(first.text)")
        _ = try await harness.request("POST", "/api/v1/channels/shopapp/request-human", token: key, json: .object([
            "visitor_id": "u-7", "client_message_id": "h-1", "session_id": .string(session),
        ]))
        let assigned = try await harness.eventually(timeout: .seconds(15)) {
            try await harness.request("GET", "/api/v1/agent/sessions", token: agent.access).text.contains(session)
        }
        #expect(assigned)

        let upload = "/api/v1/channels/shopapp/files?visitor_id=u-7&session_id=\(session)&name="
        let refused = try await harness.request("POST", upload + "a.pdf", token: key, body: Data(FileSamples.executable))
        #expect(refused.status == 415 && refused.errorCode == "unsupported_file", "\(refused.text)")
        let stored = try await harness.request("POST", upload + "invoice.pdf", token: key, body: Data(FileSamples.pdf))
        #expect(stored.status == 201, "\(stored.text)")
        let fileID = try #require(stored.json?["file_id"]?.stringValue)
        let sent = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: .object([
            "visitor_id": "u-7", "client_message_id": "m-2", "session_id": .string(session), "file_id": .string(fileID),
        ]))
        #expect(sent.status == 200, "\(sent.text)")
        let otherVisitor = try await harness.request("POST", "/api/v1/channels/shopapp/messages", token: key, json: .object([
            "visitor_id": "u-8", "client_message_id": "m-3", "file_id": .string(fileID),
        ]))
        #expect(otherVisitor.status == 404 && otherVisitor.errorCode == "unknown_file", "\(otherVisitor.text)")

        let reply = try await harness.request(
            "POST", "/api/v1/agent/files?session_id=\(session)&name=steps.txt", token: agent.access, body: Data(FileSamples.text))
        let replyID = try #require(reply.json?["file_id"]?.stringValue, "\(reply.text)")
        let answered = try await harness.request(
            "POST", "/api/v1/agent/sessions/\(session)/messages", token: agent.access,
            json: .object(["client_message_id": "w1", "file_id": .string(replyID)]))
        #expect(answered.status == 200, "\(answered.text)")
        let events = try await APIChannelTests.follow(harness, key: key, from: start) { events in
            events.contains { $0["data"]?["file"]?["file_id"]?.stringValue == replyID }
        }
        #expect(events.contains { $0["data"]?["sender"]?.stringValue == "visitor" && $0["data"]?["file"]?["name"]?.stringValue == "invoice.pdf" })
        let fetched = try await harness.request("GET", "/api/v1/channels/shopapp/files/\(replyID)?visitor_id=u-7", token: key)
        #expect(fetched.status == 200 && Array(fetched.body) == FileSamples.text, "\(fetched.text)")
        #expect(fetched.header("Content-Disposition")?.hasPrefix("attachment; filename=\"steps.txt\"") == true)
        let foreign = try await harness.request("GET", "/api/v1/channels/shopapp/files/\(replyID)?visitor_id=u-8", token: key)
        #expect(foreign.status == 404, "\(foreign.text)")
        #expect(try await harness.request("GET", "/api/v1/channels/shopapp/files/\(replyID)?visitor_id=u-7").status == 401)
    }
}
