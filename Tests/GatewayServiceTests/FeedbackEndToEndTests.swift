import Foundation
import KefuModel
import Redis
import Testing

/// 有用 / 没用 and 未知问题 through the gateway with the real routing, store and knowledge: the bot answers
/// from the knowledge base, the visitor's feedback is taken once and refused with a JSON 4xx otherwise, the
/// transcript keeps it, and the 没用 question shows up on the admin's unknown-question list until handled.
@Suite(.serialized)
struct FeedbackEndToEndTests {
    @Test func feedbackOnABotAnswerAndTheUnknownQuestionList() async throws {
        let harness = try await GatewayHarness()
        defer { Task { await harness.shutdown() } }
        for service in ["routing", "store", "knowledge"] { try await harness.launchService(service) }
        let admin = try await harness.login()
        let created = try await harness.request("POST", "/api/v1/admin/knowledge", token: admin.access, json: .object([
            "question": "怎么申请退货", "similar": .array(["我要退货", "退货流程"]), "answer": "在“我的订单”里点击“申请退货”。",
        ]))
        #expect(created.status == 201, "\(created.text)")
        let entryID = try #require(created.json?["entry_id"]?.stringValue)

        let visitor = try await harness.visitor()
        let widget = SocketProbe(url: "\(harness.wsBase(0))/api/v1/visitor/ws?token=\(visitor.token)")
        #expect(await widget.wait { $0.contains { $0["type"]?.stringValue == "hello" } })
        let asked = try await harness.request(
            "POST", "/api/v1/visitor/messages", token: visitor.token, json: .object(["client_message_id": "f1", "text": "怎么申请退货"]))
        #expect(asked.status == 200, "\(asked.text)")
        let isAnswer: (JSONValue) -> Bool = {
            $0["event"]?.stringValue == "message.accepted" && $0["data"]?["sender"]?.stringValue == "bot"
        }
        #expect(await widget.wait(timeout: .seconds(15)) { $0.contains(where: isAnswer) }, "\(widget.received)")
        let answer = try #require(widget.received.first(where: isAnswer))
        #expect(answer["data"]?["entry_id"]?.stringValue == entryID)
        let session = try #require(answer["session_id"]?.stringValue)
        let seq = try #require(answer["seq"]?.intValue)

        let body: (Int, Bool) -> JSONValue = { .object(["session_id": .string(session), "seq": .integer(Int64($0)), "useful": .bool($1)]) }
        let first = try await harness.request("POST", "/api/v1/visitor/feedback", token: visitor.token, json: body(seq, false))
        #expect(first.status == 200, "\(first.text)")
        #expect(await widget.wait { frames in frames.contains { $0["event"]?.stringValue == "feedback.recorded" } }, "\(widget.received)")
        let again = try await harness.request("POST", "/api/v1/visitor/feedback", token: visitor.token, json: body(seq, true))
        #expect(again.status == 409 && again.errorCode == "feedback_repeated", "\(again.status) \(again.text)")
        #expect(again.header("Content-Type")?.hasPrefix("application/json") == true)
        let question = try await harness.request("POST", "/api/v1/visitor/feedback", token: visitor.token, json: body(seq - 1, true))
        #expect(question.status == 404 && question.errorCode == "unknown_answer", "\(question.status) \(question.text)")
        let stranger = try await harness.visitor()
        let theirs = try await harness.request("POST", "/api/v1/visitor/feedback", token: stranger.token, json: body(seq, true))
        #expect(theirs.status == 404 && theirs.errorCode == "unknown_answer", "\(theirs.status) \(theirs.text)")
        let malformed = try await harness.request(
            "POST", "/api/v1/visitor/feedback", token: visitor.token, json: .object(["session_id": .string(session), "seq": .integer(Int64(seq))]))
        #expect(malformed.status == 400, "\(malformed.text)")
        let anonymous = try await harness.request("POST", "/api/v1/visitor/feedback", json: body(seq, true))
        #expect(anonymous.status == 401)

        // A connector's malformed feedback (no reply_to) is dead-lettered with `<code>: <message>`.
        let malformedEntry: JSONValue = .object([
            "id": .string(UUID().uuidString.lowercased()), "type": "visitor.feedback", "version": 1,
            "time": .string(Timestamp.now().rfc3339), "source": "connector-test",
            "data": .object(["channel": "web-pc", "visitor_id": .string(visitor.visitorID), "session_id": .string(session),
                             "seq": .integer(Int64(seq)), "useful": "没用"]),
        ])
        let malformedText = String(decoding: try JSONEncoder().encode(malformedEntry), as: UTF8.self)
        let inbound = harness.names.partition(of: harness.stream("inbound"), key: session)
        _ = try await harness.redis.send(["XADD", inbound, "*", "event", malformedText])
        var reason = ""
        _ = try await harness.eventually {
            let dead = try await harness.redis.send(["XRANGE", inbound + ":dead", "-", "+"]).array ?? []
            for entry in dead {
                let fields = entry.array?.last?.array ?? []
                for index in stride(from: 0, to: fields.count - 1, by: 2) where fields[index].string == "dead.reason" {
                    reason = fields[index + 1].string ?? ""
                }
            }
            return !reason.isEmpty
        }
        #expect(reason.hasPrefix("invalid_field: ") && reason.contains("useful"), "dead.reason: \(reason)")

        // Staff see it in the transcript (store history, kinds=all).
        let recorded = try await harness.eventually {
            let page = try await harness.request(
                "GET", "/api/v1/agent/sessions/\(session)/history?kinds=all", token: admin.access)
            return array(page.json?["items"]).contains { item in
                item["type"]?.stringValue == "feedback.recorded" && item["data"]?["useful"] == .bool(false)
                    && item["data"]?["answer_seq"]?.intValue == seq
            }
        }
        #expect(recorded)

        // The 没用 question is an unknown question for the admin, not for an agent.
        let agent = try await harness.makeAgent("uma", admin: admin.access)
        let forbidden = try await harness.request("GET", "/api/v1/admin/unknown-questions", token: agent.access)
        #expect(forbidden.status == 403)
        var groups: [JSONValue] = []
        _ = try await harness.eventually {
            groups = array(try await harness.request("GET", "/api/v1/admin/unknown-questions", token: admin.access).json?["groups"])
            return !groups.isEmpty
        }
        let group = try #require(groups.first)
        #expect(group["not_useful"] == .integer(1) && group["entry"]?["entry_id"]?.stringValue == entryID, "\(groups)")
        let key = try #require(group["key"]?.stringValue)
        let ignored = try await harness.request(
            "POST", "/api/v1/admin/unknown-questions/handled", token: admin.access, json: .object(["key": .string(key), "action": "ignored"]))
        #expect(ignored.status == 200, "\(ignored.text)")
        let twice = try await harness.request(
            "POST", "/api/v1/admin/unknown-questions/handled", token: admin.access, json: .object(["key": .string(key), "action": "ignored"]))
        #expect(twice.status == 404 && twice.errorCode == "unknown_question", "\(twice.text)")
        let left = try await harness.request("GET", "/api/v1/admin/unknown-questions", token: admin.access)
        let remaining = array(left.json?["groups"])
        #expect(remaining.count == 0, "\(left.text)")
        await widget.close()
    }
}

/// The items of a JSON array (empty for anything else).
private func array(_ value: JSONValue?) -> [JSONValue] {
    if case .array(let items) = value { return items }
    return []
}
