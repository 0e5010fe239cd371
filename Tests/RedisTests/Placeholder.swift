// placeholder until integration
