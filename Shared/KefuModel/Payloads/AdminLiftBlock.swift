/// `admin.lift_block` v1 (commands): an admin lifts a visitor block before it expires; the visitor may
/// write again at once. The block row keeps who lifted it and when.
public struct AdminLiftBlock: EventPayload {
    /// The entry type.
    public static let eventType = EventType.adminLiftBlock
    /// The data version.
    public static let version = 1

    /// The admin lifting it.
    public var actorID: AgentID
    /// The block, from `blocks.list` or the `agent.block_visitor` reply.
    public var blockID: BlockID

    /// Creates the payload.
    public init(actorID: AgentID, blockID: BlockID) {
        self.actorID = actorID
        self.blockID = blockID
    }

    enum CodingKeys: String, CodingKey {
        case actorID = "actor_id"
        case blockID = "block_id"
    }

    /// Nothing beyond the JSON shape to check.
    public func validate() throws(ContractError) {}
}
