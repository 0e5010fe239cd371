import Foundation
import KefuModel
import Postgres
@testable import RoutingService
import Testing

/// Session summaries (会话小结): the admins' two-level category tree, the agent's summary, and the
/// `summary_required` setting enforced by the assigner.
@Suite struct SummaryTests {
    private func category(
        _ h: RoutingHarness, _ name: String, parent: SummaryCategoryID? = nil, id: SummaryCategoryID = .random()
    ) async throws -> (SummaryCategoryID, ReplyResult) {
        let reply = try await h.reply(to: try await h.apply(
            AdminUpsertSummaryCategory(actorID: .random(), categoryID: id, parentID: parent, name: name)))
        return (id, reply)
    }

    private func ask(_ h: RoutingHarness, _ name: String, _ actor: Actor) async throws -> ReplyResult {
        try await h.reply(to: try await h.apply(QueryRequest(name: name, actor: actor, params: .object([:]))))
    }

    private func items(_ value: JSONValue?) -> [JSONValue] {
        if case .array(let items)? = value { return items }
        return []
    }

    @Test func aTwoLevelTreeWithRefusalsThatChangeNothing() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let (afterSales, created) = try await category(h, "售后")
        #expect(created.ok)
        let (refund, child) = try await category(h, "退款进度", parent: afterSales)
        #expect(child.ok)
        let (_, third) = try await category(h, "第三层", parent: refund)
        #expect(third.code == "category_too_deep")
        let (_, orphan) = try await category(h, "孤儿", parent: .random())
        #expect(orphan.code == "unknown_category")
        let (_, twin) = try await category(h, "退款进度", parent: afterSales)
        #expect(twin.code == "duplicate_category_name")
        let (_, demote) = try await category(h, "售后", parent: try await category(h, "咨询").0, id: afterSales)
        #expect(demote.code == "category_too_deep", "a first-level category with children cannot become a child")
        let rename = try await category(h, "退款", parent: afterSales, id: refund).1
        #expect(rename.ok)

        let tree = try await ask(h, "summary_categories.list", .staff(.random(), admin: false))
        let roots = items(tree.result?["items"])
        #expect(Set(roots.compactMap { $0["name"]?.stringValue }) == ["售后", "咨询"])
        let afterSalesNode = roots.first { $0["category_id"]?.stringValue == afterSales.description }
        #expect(items(afterSalesNode?["children"]).map { $0["name"]?.stringValue } == ["退款"])

        let deleted = try await h.reply(to: try await h.apply(AdminDeleteSummaryCategory(actorID: .random(), categoryID: afterSales)))
        #expect(deleted.ok && deleted.result?["deleted"]?.intValue == 2, "a first-level category takes its children with it")
        let again = try await h.reply(to: try await h.apply(AdminDeleteSummaryCategory(actorID: .random(), categoryID: afterSales)))
        #expect(again.code == "category_deleted")
        let (_, underDeleted) = try await category(h, "新的", parent: afterSales)
        #expect(underDeleted.code == "category_deleted")
        let rows = try await h.postgres.query("SELECT count(*) FROM routing.summary_categories")
        #expect(try rows.first?.decode(Int.self, at: 0) == 3, "refusals inserted nothing")
    }

    @Test func aRequiredSummaryKeepsTheAgentFromTheNextSessionUntilWritten() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        #expect(try await h.updateSettings { $0.summaryRequired = true }.ok)
        let (afterSales, _) = try await category(h, "售后")
        let (refund, _) = try await category(h, "退款", parent: afterSales)
        let (gone, _) = try await category(h, "已删除")
        _ = try await h.apply(AdminDeleteSummaryCategory(actorID: .random(), categoryID: gone))
        let agent = try await h.onlineAgent("小王", capacity: 3)

        let first = try await h.requestHuman("v-sum-1")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: first) == "assigned")
        #expect(try await h.reply(to: try await h.apply(AgentEndSession(sessionID: first, agentID: agent))).ok)
        let pending = try await ask(h, "summaries.pending", .staff(agent, admin: false))
        #expect(items(pending.result?["items"]).map { $0["session_id"]?.stringValue } == [first.description])

        // The agent has room for three but gets nothing while the summary is due.
        let second = try await h.requestHuman("v-sum-2")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: second) == "queued")

        // A deleted or unknown category is refused, nothing is written and the summary stays due.
        let stale = try await h.reply(to: try await h.apply(
            AgentSubmitSummary(sessionID: first, agentID: agent, categoryIDs: [refund, gone], note: "x")))
        #expect(!stale.ok && stale.code == "category_deleted")
        let unknown = try await h.reply(to: try await h.apply(
            AgentSubmitSummary(sessionID: first, agentID: agent, categoryIDs: [.random()])))
        #expect(unknown.code == "unknown_category")
        let other = try await h.onlineAgent("小李", capacity: 1)
        let notYours = try await h.reply(to: try await h.apply(AgentSubmitSummary(sessionID: first, agentID: other, categoryIDs: [refund])))
        #expect(notYours.code == "not_your_session")
        let written = try await h.postgres.query("SELECT count(*) FROM routing.session_summaries")
        #expect(try written.first?.decode(Int.self, at: 0) == 0)
        // The other agent (no summary due) takes the queued session meanwhile.
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: second) == "assigned")
        _ = try await h.published()

        let third = try await h.requestHuman("v-sum-3")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: third) == "queued", "小李 is full, 小王 owes a summary")
        let submitted = try await h.reply(to: try await h.apply(
            AgentSubmitSummary(sessionID: first, agentID: agent, categoryIDs: [refund], note: "已告知退款时效")))
        #expect(submitted.ok && submitted.result?["was_due"] == .bool(true))
        let recorded = try #require(try await h.published().first { $0.type == .summaryRecorded }).decode(SummaryRecorded.self)
        #expect(recorded.categories == [SummaryCategoryRef(categoryID: refund, name: "退款", parentID: afterSales, parentName: "售后")])
        #expect(recorded.note == "已告知退款时效")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: third) == "assigned")
        #expect(items(try await ask(h, "summaries.pending", .staff(agent, admin: false)).result?["items"]).isEmpty)

        // Rewriting replaces; turning the setting off clears whatever is due.
        #expect(try await h.reply(to: try await h.apply(AgentSubmitSummary(sessionID: first, agentID: agent, categoryIDs: [afterSales]))).ok)
        #expect(try await h.reply(to: try await h.apply(AgentEndSession(sessionID: third, agentID: agent))).ok)
        let due = try await h.postgres.query("SELECT summaries_due FROM routing.agents WHERE id = $1", [agent.uuid])
        #expect(try due.first?.decode(Int.self, at: 0) == 1)
        #expect(try await h.updateSettings { $0.summaryRequired = false }.ok)
        let cleared = try await h.postgres.query("SELECT summaries_due FROM routing.agents WHERE id = $1", [agent.uuid])
        #expect(try cleared.first?.decode(Int.self, at: 0) == 0)
    }

    @Test func withoutTheSettingNothingIsDue() async throws {
        let h = try await RoutingHarness.make()
        defer { Task { await h.close() } }
        let agent = try await h.onlineAgent("小王", capacity: 1)
        let first = try await h.requestHuman("v-free-1")
        try await h.engine.drainQueue(using: h.postgres)
        _ = try await h.apply(AgentEndSession(sessionID: first, agentID: agent))
        let second = try await h.requestHuman("v-free-2")
        try await h.engine.drainQueue(using: h.postgres)
        #expect(try await h.state(of: second) == "assigned")
        let (cat, _) = try await category(h, "咨询")
        let late = try await h.reply(to: try await h.apply(AgentSubmitSummary(sessionID: first, agentID: agent, categoryIDs: [cat], note: "补写")))
        #expect(late.ok && late.result?["was_due"] == .bool(false), "a summary may still be written after the end")
    }
}
