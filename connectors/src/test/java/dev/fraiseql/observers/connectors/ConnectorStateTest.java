package dev.fraiseql.observers.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectorStateTest {

    @Test
    void failedConnectorCanOnlyBeStopped() {
        assertThat(ConnectorState.FAILED.next()).containsExactly(ConnectorState.STOPPED);
    }

    @Test
    void retryingConnectorStartsAgainOrStops() {
        assertThat(ConnectorState.RETRYING.next())
                .containsExactlyInAnyOrder(ConnectorState.STARTING, ConnectorState.STOPPED);
    }

    @Test
    void stoppedIsFinal() {
        assertThat(ConnectorState.STOPPED.next()).isEmpty();
        assertThat(ConnectorState.STOPPED.canMoveTo(ConnectorState.STARTING)).isFalse();
    }

    @Test
    void runningConnectorCannotGoBackToStartingWithoutRetrying() {
        assertThat(ConnectorState.RUNNING.canMoveTo(ConnectorState.STARTING)).isFalse();
        assertThat(ConnectorState.RUNNING.canMoveTo(ConnectorState.RETRYING)).isTrue();
    }
}
