package io.github.pgqueue.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.pgqueue.JobError;
import io.github.pgqueue.JobId;
import io.github.pgqueue.JobInfo;
import io.github.pgqueue.JobState;
import io.github.pgqueue.SideEffectInfo;
import io.github.pgqueue.SideEffectState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.RowMapper;

/** Maps a row of {@link QueryStore}'s job query, errors and ledger included, to the public {@link JobInfo}. */
final class JobInfoMapper implements RowMapper<JobInfo> {

	private final JsonMapper json;

	JobInfoMapper(JsonMapper json) {
		this.json = json;
	}

	@Override
	public JobInfo mapRow(ResultSet rs, int row) throws SQLException {
		return new JobInfo(new JobId(rs.getLong("id")), rs.getString("queue"), rs.getString("kind"),
				rs.getString("payload"), JobState.fromDbValue(rs.getString("state")), rs.getInt("priority"),
				rs.getInt("attempt"), rs.getInt("max_attempts"), JobRows.instant(rs, "run_at"),
				JobRows.instant(rs, "created_at"), JobRows.instant(rs, "attempted_at"),
				JobRows.instant(rs, "finalized_at"), rs.getString("lease_owner"),
				JobRows.instant(rs, "lease_expires_at"), rs.getString("idempotency_key"),
				rs.getBoolean("cancel_requested"), errors(rs.getString("errors")),
				sideEffects(rs.getString("side_effects")));
	}

	private List<JobError> errors(String errorsJson) {
		List<JobError> errors = new ArrayList<>();
		for (JsonNode error : this.json.readTree(errorsJson)) {
			errors.add(new JobError(error.path("attempt").asInt(), Instant.parse(error.path("at").asString()),
					error.path("message").asString(), error.path("stack").asString()));
		}
		return errors;
	}

	private List<SideEffectInfo> sideEffects(String sideEffectsJson) {
		List<SideEffectInfo> effects = new ArrayList<>();
		for (JsonNode effect : this.json.readTree(sideEffectsJson)) {
			JsonNode completedAt = effect.path("completedAt");
			effects.add(new SideEffectInfo(effect.path("key").asString(),
					SideEffectState.valueOf(effect.path("state").asString()), effect.path("attempt").asInt(),
					Instant.parse(effect.path("startedAt").asString()),
					completedAt.isNull() ? null : Instant.parse(completedAt.asString())));
		}
		return effects;
	}

}
