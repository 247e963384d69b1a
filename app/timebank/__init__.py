"""The time bank (时间银行): verified hours deposited as time credits, given to relatives,
paid for services of any organization of the district (通存通兑), with a community pool."""
