package io.github.pgqueue.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** Leases as the statements take them: ids sorted, as an array, and an id -> token JSON object. */
record LeaseTokens(Long[] ids, String json, Map<Long, Lease> byId) {

	static LeaseTokens of(Collection<Lease> leases) {
		Map<Long, Lease> byId = new HashMap<>();
		StringBuilder json = new StringBuilder(leases.size() * 16).append('{');
		for (Lease lease : leases) {
			json.append((byId.isEmpty()) ? "\"" : ",\"").append(lease.jobId()).append("\":").append(lease.token());
			byId.put(lease.jobId(), lease);
		}
		Long[] ids = byId.keySet().stream().sorted().toArray(Long[]::new);
		return new LeaseTokens(ids, json.append('}').toString(), byId);
	}

	Lease lease(long id) {
		return this.byId.get(id);
	}

}

