import KefuModel
import Postgres
import ServiceRuntime

/// Account creation for operator tools (`kefu admin create`): the gateway's own code writing the gateway's
/// own schema, with the same validation, bcrypt hashing and `admin.upsert_agent` outbox entry as the admin
/// API. The running gateway's outbox relay publishes that entry to routing.
public enum OperatorAccounts {
    /// Why an operator's account creation failed, in words the operator can act on.
    public struct Failure: Error, CustomStringConvertible {
        /// The message.
        public let description: String
    }

    /// Creates an account and returns its agent id; the gateway schema must be migrated (`kefu migrate`).
    public static func create(
        postgres: PostgresClient, streams: StreamNames, username: String, displayName: String, role: StaffRole,
        password: String, capacity: Int?, bcryptCost: Int = 12
    ) async throws -> AgentID {
        let store = AccountStore(
            postgres: postgres, hasher: PasswordHasher(cost: bcryptCost), outbox: Outbox(schema: GatewayService.name),
            commandsStream: streams.commands, source: "kefu-cli")
        do {
            let account = try await store.create(
                NewAccount(username: username, displayName: displayName, role: role, password: password, capacity: capacity),
                by: nil)
            return account.agentID
        } catch let error as APIError {
            throw Failure(description: error.message)
        }
    }
}
