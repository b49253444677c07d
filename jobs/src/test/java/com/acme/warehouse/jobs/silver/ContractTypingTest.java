package com.acme.warehouse.jobs.silver;

import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.contract.FieldSpec.LetterCase;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A contract types a row on its own: text trimmed and its letters normalised before the accepted
 * values are compared, and the first rule broken, in field order, named with its reason.
 */
class ContractTypingTest extends SparkTestBase {
  private static final List<FieldSpec> CONTRACT =
      List.of(
          new FieldSpec("mentor_id", "string", true, List.of(), LetterCase.UPPER),
          new FieldSpec("tier", "string", true, List.of("Gold", "Silver"), LetterCase.TITLE),
          new FieldSpec("status", "string", false, List.of("active"), LetterCase.LOWER),
          new FieldSpec("rate", "decimal(10,2)", false, List.of(), LetterCase.KEEP));

  @Test
  void textIsNormalisedBeforeItsValuesAreJudgedAndTheFirstBrokenRuleIsNamed() {
    String bronze =
        "_line_number INT, _is_malformed BOOLEAN, _error STRING,"
            + " mentor_id STRING, tier STRING, status STRING, rate STRING";
    assertSameRows(
        df(
            "_line_number INT, _t_mentor_id STRING, _t_tier STRING, _t_status STRING,"
                + " _t_rate DECIMAL(10,2), rule STRING, reason STRING",
            "{\"_line_number\":1,\"_t_mentor_id\":\"MNT-1\",\"_t_tier\":\"Gold\","
                + "\"_t_status\":\"active\",\"_t_rate\":90.5}",
            "{\"_line_number\":2,\"_t_mentor_id\":\"MNT-2\",\"_t_tier\":\"Platinum\","
                + "\"rule\":\"tier_not_accepted\","
                + "\"reason\":\"tier ' platinum' is not one of [Gold, Silver]\"}",
            "{\"_line_number\":3,\"_t_tier\":\"Silver\",\"rule\":\"mentor_id_missing\","
                + "\"reason\":\"mentor_id is required\"}",
            "{\"_line_number\":4,\"_t_mentor_id\":\"MNT-4\",\"_t_tier\":\"Silver\","
                + "\"_t_status\":\"churned\",\"rule\":\"status_not_accepted\","
                + "\"reason\":\"status 'Churned' is not one of [active]\"}",
            "{\"_line_number\":5,\"_t_mentor_id\":\"MNT-5\",\"_t_tier\":\"Gold\","
                + "\"rule\":\"rate_not_decimal(10,2)\","
                + "\"reason\":\"rate '1.005' is not a decimal(10,2) number\"}",
            "{\"_line_number\":6,\"rule\":\"malformed_record\",\"reason\":\"unclosed quote\"}"),
        ContractTyping.type(
                df(
                    bronze,
                    "{\"_line_number\":1,\"_is_malformed\":false,\"mentor_id\":\" mnt-1 \","
                        + "\"tier\":\"GOLD\",\"status\":\" Active\",\"rate\":\"90.50\"}",
                    "{\"_line_number\":2,\"_is_malformed\":false,\"mentor_id\":\"Mnt-2\","
                        + "\"tier\":\" platinum\"}",
                    "{\"_line_number\":3,\"_is_malformed\":false,\"mentor_id\":\"  \","
                        + "\"tier\":\"silver\"}",
                    "{\"_line_number\":4,\"_is_malformed\":false,\"mentor_id\":\"mnt-4\","
                        + "\"tier\":\"Silver\",\"status\":\"Churned\"}",
                    "{\"_line_number\":5,\"_is_malformed\":false,\"mentor_id\":\"mnt-5\","
                        + "\"tier\":\"gold\",\"rate\":\"1.005\"}",
                    "{\"_line_number\":6,\"_is_malformed\":true,\"_error\":\"unclosed quote\"}"),
                CONTRACT)
            .drop("_is_malformed", "_error", "mentor_id", "tier", "status", "rate"));
  }
}
